package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.OperatorSettingsProfile;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Breakers per destination, with small thresholds: 4 calls judged, half failing opens, 1 s cool-down. */
@QuarkusTest
@TestProfile(OperatorSettingsProfile.class)
class CircuitBreakerTest {

    private static final int COOL_DOWN_MS = OperatorSettingsProfile.COOL_DOWN_MS;

    @RegisterExtension
    static final WireMockExtension failing = DemoApi.server();
    @RegisterExtension
    static final WireMockExtension healthy = DemoApi.server();
    @RegisterExtension
    static final WireMockExtension slow = DemoApi.server();

    /** Room for the first call of a freshly started application on a loaded machine: only the slow server times out. */
    private static JsonNode call(WireMockExtension server) {
        return call(server, 10_000);
    }

    private static JsonNode call(WireMockExtension server, int timeoutMs) {
        return StepEvents.step("GET", DemoApi.base(server) + "/crm").options("{\"timeoutMs\": " + timeoutMs + "}").invoke();
    }

    @Test
    void opensForAFailingDestinationOnlyAndClosesAfterATrial() throws Exception {
        failing.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        healthy.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        for (int i = 0; i < 4; i++) {
            assertEquals("HTTP_STATUS", call(failing).get("error").get("code").asText());
        }
        JsonNode refused = call(failing);
        assertEquals("CIRCUIT_OPEN", refused.get("error").get("code").asText(), refused.toString());
        assertEquals("failure", refused.get("branch").asText());
        assertEquals(true, refused.get("error").get("retryable").booleanValue());
        assertEquals(4, failing.findAll(anyRequestedFor(anyUrl())).size(), "the open breaker sent nothing");
        assertEquals("success", call(healthy).get("branch").asText(), "other destinations are unaffected");

        Thread.sleep(COOL_DOWN_MS + 200);
        failing.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        assertEquals("success", call(failing).get("branch").asText(), "the trial call goes through");
        assertEquals("success", call(failing).get("branch").asText(), "and closes the breaker");
    }

    /** Not a speed assertion: records what a dead destination costs a conversation, for the docs. */
    @Test
    void recordsWhatADeadDestinationCostsWithTheBreakerClosedAndOpen() throws Exception {
        slow.stubFor(any(anyUrl()).willReturn(okJson("{}").withFixedDelay(5_000)));
        long closed = 0;
        for (int i = 0; i < 4; i++) {
            JsonNode result = call(slow, 300);
            assertEquals("TIMEOUT", result.get("error").get("code").asText());
            closed += result.get("durationMs").longValue();
        }
        JsonNode open = call(slow, 300);
        assertEquals("CIRCUIT_OPEN", open.get("error").get("code").asText());
        assertTrue(open.get("durationMs").longValue() < closed / 4, "an open breaker answers before the timeout: " + open);
        Files.writeString(Path.of("target", "breaker-cost.txt"), String.format(
                "dead destination, step timeoutMs 300: breaker closed %d ms per step (mean of 4), open %d ms%n",
                closed / 4, open.get("durationMs").longValue()));
    }
}
