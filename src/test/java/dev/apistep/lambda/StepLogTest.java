package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LogCapture;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The one log line per step: a bare JSON object with the fields the README's Logs Insights queries use,
 * which is also a valid CloudWatch embedded-metric document with bounded dimensions; no way for a caller
 * to forge another line; no secret in it.
 */
@QuarkusTest
class StepLogTest {

    private static final String ENV_SECRET = "env-secret-4a5b";

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void script() {
        api.stubFor(get(anyUrl()).willReturn(okJson("{\"id\": 7}")));
        api.stubFor(post(anyUrl()).willReturn(okJson("{}").withStatus(503)));
    }

    private static JsonNode onlyStepLine(Supplier<JsonNode> invocation) {
        List<String> lines;
        try (LogCapture capture = LogCapture.start()) {
            invocation.get();
            lines = capture.lines().stream().filter(line -> line.contains("\"_aws\"")).toList();
        }
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).chars().noneMatch(c -> c == '\n' || c == '\r'), lines.get(0));
        return LambdaEvents.read(lines.get(0));
    }

    @Test
    void aSuccessfulStepsLineNamesWhatHappenedAndNothingSecret() {
        JsonNode line = onlyStepLine(() -> StepEvents.step("GET", DemoApi.base(api) + "/orders/{id}?key={secret:CRM_TOKEN}")
                .variable("id", 7).stepField("id", "\"get-order\"")
                .stepField("auth", "{\"type\": \"bearer\", \"token\": \"{secret:CRM_TOKEN}\"}")
                .invoke());
        assertEquals("get-order", line.get("stepId").asText());
        assertEquals("GET", line.get("method").asText());
        assertEquals("127.0.0.1", line.get("host").asText());
        assertEquals(200, line.get("status").intValue());
        assertEquals("success", line.get("branch").asText());
        assertEquals("NONE", line.get("errorCode").asText());
        assertEquals(1, line.get("attempts").intValue());
        assertTrue(line.get("durationMs").isIntegralNumber());
        assertTrue(line.get("anonymousCallers").asBoolean(), "the test application admits anonymous callers, and says so");
        assertFalse(line.toString().contains(ENV_SECRET), line.toString());
        assertFalse(line.toString().contains("/orders"), "no path in the line: " + line);
        assertValidMetricDocument(line);
    }

    @Test
    void aFailedStepsLineCarriesItsErrorCodeAndAttempts() {
        JsonNode line = onlyStepLine(() -> StepEvents.step("POST", DemoApi.base(api) + "/orders")
                .options("{\"retry\": {\"maxAttempts\": 2, \"initialDelayMs\": 1, \"maxDelayMs\": 2, \"retryNonIdempotent\": true}}").invoke());
        assertEquals("failure", line.get("branch").asText());
        assertEquals("HTTP_STATUS", line.get("errorCode").asText());
        assertEquals(503, line.get("status").intValue());
        assertEquals(2, line.get("attempts").intValue());
        assertValidMetricDocument(line);
    }

    @Test
    void aSecretInTheHostIsRefusedAndNotLogged() {
        JsonNode line = onlyStepLine(() -> StepEvents.step("GET", "http://{secret:CRM_TOKEN}.test/").invoke());
        assertEquals("INVALID_STEP", line.get("errorCode").asText(), line.toString());
        assertFalse(line.toString().contains(ENV_SECRET), line.toString());
        api.verify(0, getRequestedFor(anyUrl()));
    }

    @Test
    void callerSuppliedNamesCannotForgeLines() {
        JsonNode line = onlyStepLine(() -> LambdaEvents.invokeRaw("{\"step\": {\"id\": \"a\\n{\\\"stepId\\\":\\\"forged\\\"}\","
                + " \"request\": {\"url\": \"https://{host}/x\"}}, \"context\": {\"tenantId\": \"t\\r\\n1\"}}"));
        assertEquals("a\n{\"stepId\":\"forged\"}", line.get("stepId").asText());
        assertEquals("t\r\n1", line.get("tenant").asText());
        assertEquals("INVALID_STEP", line.get("errorCode").asText());
        assertTrue(line.get("host").isNull());
        assertValidMetricDocument(line);
    }

    @Test
    void anEventThatDoesNotParseStillGetsALine() {
        JsonNode line = onlyStepLine(() -> LambdaEvents.invokeRaw("{\"step\": 7}"));
        assertEquals("INVALID_EVENT", line.get("errorCode").asText(), line.toString());
        assertTrue(line.get("stepId").isNull());
        assertValidMetricDocument(line);
    }

    /**
     * What CloudWatch requires of an embedded-metric document: every dimension and metric it names is a
     * member of the line (dimensions strings, metrics numbers), at most 30 dimensions per set; and what this
     * function promises: no dimension that grows with tenants, steps or URLs.
     */
    private static void assertValidMetricDocument(JsonNode line) {
        JsonNode aws = line.get("_aws");
        assertTrue(aws.get("Timestamp").isIntegralNumber());
        Set<String> boundedDimensions = Set.of("service", "branch", "errorCode");
        for (JsonNode directive : aws.get("CloudWatchMetrics")) {
            assertEquals("ApiStep", directive.get("Namespace").asText());
            for (JsonNode set : directive.get("Dimensions")) {
                assertTrue(set.size() >= 1 && set.size() <= 30);
                for (JsonNode dimension : set) {
                    assertTrue(boundedDimensions.contains(dimension.asText()), "unbounded dimension " + dimension);
                    assertTrue(line.get(dimension.asText()).isTextual(), dimension + " in " + line);
                }
            }
            Set<String> names = new HashSet<>();
            for (JsonNode metric : directive.get("Metrics")) {
                assertTrue(names.add(metric.get("Name").asText()));
                assertTrue(line.get(metric.get("Name").asText()).isNumber(), metric + " in " + line);
            }
            assertTrue(names.contains("steps") && names.contains("durationMs"), names.toString());
        }
        assertEquals("api-step", line.get("service").asText());
    }
}
