package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Responses built to hurt: the step still answers, cleanly, and the result still fits Lambda's limit. */
@QuarkusTest
class HostileResponsesTest {

    /** Lambda refuses synchronous answers over 6 MB. */
    private static final int LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void script() {
        api.stubFor(get(urlPathEqualTo("/huge")).willReturn(aResponse().withStatus(200).withBody("h".repeat(2 * 1024 * 1024))));
        api.stubFor(get(urlPathEqualTo("/deep")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[".repeat(100_000) + "]".repeat(100_000))));
        api.stubFor(get(urlPathEqualTo("/long-number")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"n\": " + "9".repeat(5_000) + "}")));
    }

    @Test
    void capturesThatWouldOverflowTheLambdaLimitAreDroppedWithWarnings() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/huge")
                .options("{\"maxResponseBytes\": 3000000}")
                .capture("[{\"variable\": \"a\", \"path\": \"body\"}, {\"variable\": \"b\", \"path\": \"body\"},"
                        + " {\"variable\": \"c\", \"path\": \"body\"}, {\"variable\": \"s\", \"path\": \"status\"}]")
                .invoke();
        assertEquals("success", result.get("branch").asText());
        assertTrue(result.toString().getBytes(StandardCharsets.UTF_8).length < LAMBDA_RESPONSE_LIMIT);
        assertEquals(200, result.get("variables").get("s").intValue(), "small captures stay");
        long kept = result.get("changes").size();
        assertEquals(2, kept, result.get("warnings").toString());
        assertEquals(2, result.get("warnings").size(), result.get("warnings").toString());
        assertTrue(result.get("warnings").get(0).asText().contains("dropped to stay under the Lambda response limit"));
    }

    @Test
    void aDeeplyNestedBodyIsTextNotACrash() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/deep")
                .capture("[{\"variable\": \"x\", \"path\": \"response[0]\"}, {\"variable\": \"s\", \"path\": \"status\"}]").invoke();
        assertEquals("success", result.get("branch").asText());
        assertEquals("{\"s\":200}", result.get("changes").toString());
        assertTrue(result.get("warnings").get(0).asText().contains("did not resolve"));
    }

    @Test
    void aNumberLongerThanAnyApiSendsIsTextNotACrash() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/long-number")
                .capture("[{\"variable\": \"n\", \"path\": \"n\"}, {\"variable\": \"raw\", \"path\": \"body\"}]").invoke();
        assertEquals("success", result.get("branch").asText());
        assertEquals(5_007, result.get("variables").get("raw").textValue().length());
        assertTrue(!result.get("variables").has("n"));
    }
}
