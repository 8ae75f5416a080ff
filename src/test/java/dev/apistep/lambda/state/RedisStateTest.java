package dev.apistep.lambda.state;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.StoreUnavailableException;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LogCapture;
import dev.apistep.support.RedisServer;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Contract §6 on a real redis-server; then the store's failures: stopped before a step, stopped while a step
 * runs, frozen (answers nothing). Limits and recent runs fail open with a warning counted in the log line;
 * a keyed event fails closed with IN_PROGRESS.
 */
@QuarkusTest
@TestProfile(StateProfiles.Redis.class)
class RedisStateTest extends SharedStateContract {

    private static RedisServer redis() {
        return StateProfiles.RedisResource.server;
    }

    @Override
    String atRest(String scopedKey) throws Exception {
        return redis().get("api-step:idem:" + scopedKey);
    }

    @Test
    void aStoppedStoreLetsStepsRunWithAWarningButRefusesKeyedEvents() throws Exception {
        String tenant = fresh("acme");
        try {
            redis().stop();
            List<String> lines;
            JsonNode plain;
            try (LogCapture capture = LogCapture.start()) {
                plain = post(tenant).invoke();
                lines = capture.lines().stream().filter(line -> line.contains("\"_aws\"")).toList();
            }
            assertEquals("success", plain.get("branch").asText(), plain.toString());
            assertTrue(warnings(plain).contains(StoreUnavailableException.warning("the rate limits")), plain.toString());
            assertTrue(warnings(plain).contains(StoreUnavailableException.warning("recording this run")), plain.toString());
            assertTrue(lines.get(lines.size() - 1).contains("\"storeFailures\":2"), lines.toString());
            assertEquals(1, sent());

            StepEvents keyed = post(tenant);
            keyed.json().put("idempotencyKey", fresh("key"));
            JsonNode refused = keyed.invoke();
            assertEquals("IN_PROGRESS", refused.get("error").get("code").asText(), refused.toString());
            assertTrue(refused.get("error").get("retryable").asBoolean());
            assertEquals("failure", refused.get("branch").asText());
            assertEquals(1, sent(), "a keyed event is not run while the store cannot say whether it ran");

            JsonNode history = history(tenant, "any");
            assertEquals("IN_PROGRESS", history.get("error").get("code").asText(), history.toString());
        } finally {
            redis().restart();
        }
        StepEvents keyed = post(tenant);
        keyed.json().put("idempotencyKey", fresh("key"));
        JsonNode ran = eventually(keyed);
        assertEquals("success", ran.get("branch").asText(), "the store is used again once it is back: " + ran);
        assertFalse(ran.has("replayed"));
    }

    /** The client reconnects on its own; until it has, a keyed event is refused (retryable). */
    private static JsonNode eventually(StepEvents keyed) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode result = keyed.invoke();
        while (result.hasNonNull("error") && System.nanoTime() < until) {
            Thread.sleep(200);
            result = keyed.invoke();
        }
        return result;
    }

    @Test
    void aStoreStoppedWhileAStepRunsCostsTheStepNothing() throws Exception {
        api.stubFor(get(urlPathEqualTo("/slow")).willReturn(okJson("{\"id\": 8}").withFixedDelay(1_500)));
        String tenant = fresh("acme");
        StepEvents slow = StepEvents.step("GET", DemoApi.base(api) + "/slow");
        ((ObjectNode) slow.json().get("step")).put("id", "slow-step");
        slow.json().putObject("context").put("tenantId", tenant);
        slow.json().put("idempotencyKey", fresh("key"));
        slow.capture("[{\"variable\": \"id\", \"path\": \"response.id\"}]");
        try {
            CompletableFuture<JsonNode> running = CompletableFuture.supplyAsync(slow::invoke);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (api.findAll(anyRequestedFor(anyUrl())).isEmpty() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            redis().stop();
            JsonNode result = running.get(30, TimeUnit.SECONDS);
            assertEquals("success", result.get("branch").asText(), result.toString());
            assertEquals(8, result.get("changes").get("id").intValue());
            assertTrue(warnings(result).contains(StoreUnavailableException.warning("recording this run")),
                    result.toString());
        } finally {
            redis().restart();
        }
    }

    @Test
    void aFrozenStoreCostsAStepNoMoreThanTheStoreTimeout() throws Exception {
        JsonNode plain = postedWhileFrozen(() -> redis().pause(), () -> redis().resume());
        // Two store calls of at most 300 ms each (the limit, then the run's record); generous for a busy machine.
        assertTrue(plain.get("durationMs").longValue() < 10_000, plain.toString());
    }
}
