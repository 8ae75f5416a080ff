package dev.apistep.packaged;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.core.StoreUnavailableException;
import dev.apistep.support.Allowances;
import dev.apistep.support.DaemonThreads;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LocalRuntimeApi;
import dev.apistep.support.PackagedFunction;
import dev.apistep.support.StepEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Eight packaged functions (eight Lambda instances, each under AWS's runtime interface client and its own
 * Runtime API) on one real store, chosen by the subclass: together they admit a tenant's allowance plus its
 * refill, at any instant, a minute boundary included; a keyed event runs once whichever instance gets it; a run
 * on one is in the other's history.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PackagedSharedState {

    private static final int INSTANCES = 8;
    private static final int ALLOWANCE = 50;
    /** Each instance's events in the burst, one every {@link #PACE_MS}: 200 events over 10 s, as a platform's. */
    private static final int EVENTS_EACH = 25;
    private static final long PACE_MS = 400;
    private static final int SLOW_MS = 3_000;
    /** A step admitted because the store did not answer: never expected here. */
    private static final String FAILED_OPEN = StoreUnavailableException.warning("the rate limits");

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();
    private final List<LocalRuntimeApi> runtimes = new ArrayList<>();
    private final List<PackagedFunction> functions = new ArrayList<>();

    /** Starts the store; the environment variables that point the function at it. */
    abstract Map<String, String> startStore() throws Exception;

    abstract void stopStore() throws Exception;

    /** The idempotency record of {@code scopedKey} (the function's key: tenant and key) as the store holds it. */
    abstract String atRest(String scopedKey) throws Exception;

    @BeforeAll
    void start() throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(startStore());
        // A generous store timeout: eight functions and the store on a loaded 2-core machine answer slowly, and a
        // store call that timed out would admit its step (fail open), which the burst counts as a failure.
        settings.putAll(Map.of("API_STEP_RATE_LIMIT_PER_TENANT_PER_MINUTE", Integer.toString(ALLOWANCE),
                "API_STEP_RATE_LIMIT_PER_DESTINATION_PER_MINUTE", "0", "API_STEP_HISTORY_ENABLED", "true",
                "API_STEP_STATE_TIMEOUT", "5s"));
        for (int i = 0; i < INSTANCES; i++) {
            LocalRuntimeApi runtime = new LocalRuntimeApi();
            runtimes.add(runtime);
            functions.add(PackagedFunction.start(runtime.address(), "127.0.0.1", PackagedFunction.LAMBDA_JVM_OPTIONS,
                    Path.of("target", "packaged-" + getClass().getSimpleName() + "-" + i + ".log"), settings));
            // One at a time: the runtime interface client unpacks its native library into /tmp at start, and two
            // processes doing so at once can crash one of them (SIGBUS). A first answer means it is up.
            JsonNode warm = LambdaEvents.read(runtime.invokeAndWait(
                    "{\"mode\": \"history\", \"step\": {\"id\": \"warm-up\"}}", 60_000));
            assertEquals("success", warm.get("branch").asText(), warm.toString());
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (PackagedFunction function : functions) {
            function.close();
        }
        runtimes.forEach(LocalRuntimeApi::close);
        stopStore();
    }

    @BeforeEach
    void script() {
        api.resetAll();
        api.stubFor(any(anyUrl()).willReturn(okJson("{\"id\": 1}")));
        api.stubFor(any(urlPathEqualTo("/slow")).willReturn(okJson("{\"id\": 2}").withFixedDelay(SLOW_MS)));
    }

    private JsonNode invoke(int instance, String event) throws Exception {
        return LambdaEvents.read(runtimes.get(instance).invokeAndWait(event, 30_000));
    }

    private static ObjectNode step(String path, String tenant) {
        ObjectNode event = StepEvents.step("POST", DemoApi.base(api) + path).json();
        event.putObject("context").put("tenantId", tenant);
        return event;
    }

    private static int sent() {
        return api.findAll(anyRequestedFor(anyUrl())).size();
    }

    /**
     * The burst starts 5 s before the clock's minute changes, so that counting in fixed one-minute windows would
     * admit the end of one window's allowance and the whole of the next (about twice the allowance).
     */
    @Test
    void instancesTogetherAdmitTheAllowancePlusTheRefillAcrossAMinuteBoundary() throws Exception {
        String tenant = "acme-" + UUID.randomUUID();
        // Warm every instance (a first step pays for class loading), on another tenant.
        for (int i = 0; i < INSTANCES; i++) {
            assertEquals("success", invoke(i, step("/warm", "warm-" + UUID.randomUUID()).toString()).get("branch").asText());
        }
        api.resetRequests();
        Allowances.sleepUntilBeforeAMinuteBoundary(5_000);
        ExecutorService senders = Executors.newFixedThreadPool(INSTANCES, DaemonThreads.named("instance"));
        long started = System.nanoTime();
        List<CompletableFuture<Integer>> admitted = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            int instance = i;
            admitted.add(CompletableFuture.supplyAsync(() -> {
                int mine = 0;
                for (int n = 0; n < EVENTS_EACH; n++) {
                    try {
                        pace(started, n * PACE_MS + instance * PACE_MS / INSTANCES);
                        JsonNode result = invoke(instance, step("/tickets", tenant).toString());
                        assertFalse(result.path("warnings").toString().contains(FAILED_OPEN), result.toString());
                        if ("success".equals(result.get("branch").asText())) {
                            mine++;
                        } else {
                            assertEquals("RATE_LIMITED", result.get("error").get("code").asText(), result.toString());
                        }
                    } catch (Exception failed) {
                        throw new IllegalStateException(failed);
                    }
                }
                return mine;
            }, senders));
        }
        try {
            // All of them, even after a failure: none may go on sending into the next test.
            CompletableFuture.allOf(admitted.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } finally {
            senders.shutdownNow();
        }
        int total = admitted.stream().mapToInt(CompletableFuture::join).sum();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long most = Allowances.mostAdmitted(ALLOWANCE, elapsedMs);
        String admittedOf = total + " admitted of " + INSTANCES * EVENTS_EACH + " by " + INSTANCES
                + " instances for an allowance of " + ALLOWANCE + " a minute in " + elapsedMs + " ms (at most " + most + ")";
        Files.writeString(Path.of("target", "rate-limit-burst-" + getClass().getSimpleName() + ".txt"), admittedOf + "\n");
        assertTrue(total >= ALLOWANCE && total <= most, admittedOf);
        assertEquals(total, sent(), "nothing was sent past the allowance");
    }

    private static void pace(long startedNanos, long atMs) throws InterruptedException {
        long waitMs = atMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        if (waitMs > 0) {
            Thread.sleep(waitMs);
        }
    }

    @Test
    void aKeyedEventRunsOnceWhicheverInstanceGetsIt() throws Exception {
        ObjectNode event = step("/slow", "acme-" + UUID.randomUUID());
        event.put("idempotencyKey", "order-" + UUID.randomUUID());
        CompletableFuture<String> first = runtimes.get(0).invoke(event.toString(), 30_000);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sent() == 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        JsonNode meanwhile = invoke(1, event.toString());
        assertEquals("IN_PROGRESS", meanwhile.get("error").get("code").asText(), meanwhile.toString());
        assertTrue(meanwhile.get("error").get("retryable").asBoolean());

        JsonNode ran = LambdaEvents.read(first.get(60, TimeUnit.SECONDS));
        assertEquals("success", ran.get("branch").asText(), ran.toString());
        JsonNode replayed = invoke(1, event.toString());
        assertTrue(replayed.path("replayed").asBoolean(), replayed.toString());
        assertEquals(ran.get("variables"), replayed.get("variables"));
        assertEquals(1, sent(), "sent once");
    }

    @Test
    void aKeptResultHoldsNoVariableAndTheOtherInstanceReplaysItOnTheRedeliveredVariables() throws Exception {
        String tenant = "acme-" + UUID.randomUUID();
        String key = "order-" + UUID.randomUUID();
        String token = "t0k3n-" + UUID.randomUUID();
        ObjectNode event = step("/tickets", tenant);
        event.put("idempotencyKey", key);
        ((ObjectNode) event.get("step")).set("auth", LambdaEvents.read("{\"type\": \"bearer\", \"token\": \"{api_token}\"}"));
        ((ObjectNode) event.get("step")).set("capture", LambdaEvents.read("[{\"variable\": \"ticket\", \"path\": \"response.id\"}]"));
        event.with("variables").put("api_token", token).put("note", "what the user wrote");
        JsonNode ran = invoke(0, event.toString());
        assertEquals("success", ran.get("branch").asText(), ran.toString());

        String stored = atRest(tenant.length() + ":" + tenant + ":" + key);
        assertTrue(stored != null && stored.contains("\"ticket\":1"), "the step's record: " + stored);
        assertFalse(stored.contains(token), "the token is not kept: " + stored);
        assertFalse(stored.contains("what the user wrote"), "nor the conversation's variables: " + stored);

        JsonNode replayed = invoke(1, event.toString());
        assertTrue(replayed.path("replayed").asBoolean(), replayed.toString());
        assertEquals(ran.get("variables"), replayed.get("variables"), "the redelivered variables with the kept changes");
        assertEquals(1, sent(), "sent once");
    }

    @Test
    void aRunOnOneInstanceIsInTheOthersHistory() throws Exception {
        String tenant = "acme-" + UUID.randomUUID();
        ObjectNode event = step("/tickets?n=1", tenant);
        ((ObjectNode) event.get("step")).put("id", "create-ticket");
        assertEquals("success", invoke(0, event.toString()).get("branch").asText());
        JsonNode history = invoke(1, "{\"mode\": \"history\", \"step\": {\"id\": \"create-ticket\"}, \"context\": {\"tenantId\": \""
                + tenant + "\"}}");
        assertEquals(1, history.get("runs").size(), history.toString());
        assertTrue(history.get("runs").get(0).get("request").get("url").asText().endsWith("/tickets?n=1"));
    }
}
