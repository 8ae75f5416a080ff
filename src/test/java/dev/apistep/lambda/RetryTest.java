package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Retries as the server counts them: when, how many, and with which Idempotency-Key. */
@QuarkusTest
class RetryTest {

    private static final String FAST_RETRIES = "{\"maxAttempts\": 3, \"initialDelayMs\": 10, \"maxDelayMs\": 20";
    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    /** The server answers each status in turn, then keeps answering the last one. */
    private static void answers(ResponseDefinitionBuilder... responses) {
        for (int i = 0; i < responses.length; i++) {
            api.stubFor(any(anyUrl()).inScenario("sequence")
                    .whenScenarioStateIs(state(i))
                    .willReturn(responses[i])
                    .willSetStateTo(state(Math.min(i + 1, responses.length - 1))));
        }
    }

    private static String state(int index) {
        return index == 0 ? STARTED : "answer-" + index;
    }

    private static List<LoggedRequest> received() {
        return api.findAll(anyRequestedFor(anyUrl()));
    }

    private static ResponseDefinitionBuilder status(int status) {
        return aResponse().withStatus(status).withBody("{\"try\": \"later\"}");
    }

    @Test
    void retriesTransientStatusesUntilSuccess() {
        answers(status(503), status(502), okJson("{\"ok\": true}"));
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/flaky")
                .options("{\"retry\": " + FAST_RETRIES + "}}")
                .capture("[{\"variable\": \"ok\", \"path\": \"ok\"}]").invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals(3, result.get("attempts").intValue());
        assertEquals(3, received().size());
        assertEquals(true, result.get("variables").get("ok").booleanValue());
    }

    @Test
    void honoursRetryAfterInSeconds() {
        answers(status(503).withHeader("Retry-After", "1"), okJson("{}"));
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/later")
                .options("{\"retry\": " + FAST_RETRIES + "}}").invoke();
        assertEquals("success", result.get("branch").asText());
        assertEquals(2, result.get("attempts").intValue());
        long gap = received().get(0).getLoggedDate().toInstant().until(received().get(1).getLoggedDate().toInstant(),
                java.time.temporal.ChronoUnit.MILLIS);
        assertTrue(gap >= 900, "the second attempt waited for Retry-After, not the 20 ms backoff: " + gap + " ms");
    }

    @Test
    void aRetryAfterBeyondTheDeadlineIsRateLimited() {
        answers(status(429).withHeader("Retry-After", "120"), okJson("{}"));
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/limited")
                .options("{\"timeoutMs\": 5000, \"retry\": " + FAST_RETRIES + "}}").invoke();
        assertEquals("failure", result.get("branch").asText());
        assertEquals(429, result.get("status").intValue());
        assertEquals(1, result.get("attempts").intValue());
        assertEquals("RATE_LIMITED", result.get("error").get("code").asText(), result.toString());
        assertEquals(true, result.get("error").get("retryable").booleanValue());
        assertTrue(result.get("error").get("message").asText().contains("retry after 120 s"), result.toString());
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastResponse() {
        answers(status(500));
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/down")
                .options("{\"retry\": " + FAST_RETRIES + "}}").invoke();
        assertEquals(3, received().size());
        assertEquals(3, result.get("attempts").intValue());
        assertEquals("HTTP_STATUS", result.get("error").get("code").asText());
        assertEquals(500, result.get("status").intValue());
    }

    @Test
    void doesNotRetryAClientError() {
        answers(status(404));
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/missing")
                .options("{\"retry\": " + FAST_RETRIES + "}}").invoke();
        assertEquals(1, received().size());
        assertEquals(1, result.get("attempts").intValue());
    }

    @Test
    void doesNotRetryAPostUnlessTheStepOptsIn() {
        answers(status(503), okJson("{}"));
        JsonNode result = StepEvents.step("POST", DemoApi.base(api) + "/orders")
                .options("{\"retry\": " + FAST_RETRIES + "}}").invoke();
        assertEquals(1, received().size());
        assertEquals("failure", result.get("branch").asText());
    }

    @Test
    void retriesAnOptedInPostWithOneIdempotencyKey() {
        answers(status(503), status(503), okJson("{}"));
        JsonNode result = StepEvents.step("POST", DemoApi.base(api) + "/orders")
                .request("body", "{\"type\": \"json\", \"content\": {\"a\": 1}}")
                .options("{\"retry\": " + FAST_RETRIES + ", \"retryNonIdempotent\": true}}").invoke();
        assertEquals("success", result.get("branch").asText());
        List<LoggedRequest> requests = received();
        assertEquals(3, requests.size());
        String key = requests.get(0).getHeader("Idempotency-Key");
        assertNotNull(key);
        requests.forEach(request -> assertEquals(key, request.getHeader("Idempotency-Key")));
        requests.forEach(request -> assertEquals("{\"a\":1}", request.getBodyAsString()));
    }

    /** Nothing was sent when the connection was never made: retrying is safe for any method, POST included. */
    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST"})
    void retriesAConnectionThatWasNeverMade(String method) {
        JsonNode result = StepEvents.step(method, "http://127.0.0.1:" + DemoApi.closedPort() + "/orders")
                .options("{\"retry\": " + FAST_RETRIES + "}}").invoke();
        assertEquals("CONNECT_FAILURE", result.get("error").get("code").asText());
        assertEquals("NOT_CONNECTED", result.get("error").get("reason").asText());
        assertEquals(3, result.get("attempts").intValue());
    }
}
