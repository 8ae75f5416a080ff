package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** render sends nothing; test shows the request as sent (masked), the response and its paths. */
@QuarkusTest
class ModesTest {

    private static final String CANARY = "canary-secret-4711";
    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void answerEverything() {
        api.stubFor(any(anyUrl()).willReturn(okJson("{\"order\": {\"items\": [{\"sku\": \"A\"}]}, \"n\": 1}")
                .withHeader("Set-Cookie", "sid=" + CANARY)));
    }

    private static StepEvents stepWithSecrets(String mode) {
        return StepEvents.step("POST", DemoApi.base(api) + "/orders/{id}?access_token={token}&page=2")
                .mode(mode)
                .variable("id", "A 1").variable("token", CANARY)
                .header("Cookie", "sid=" + CANARY).header("X-Trace", "t-1")
                .stepField("auth", "{\"type\": \"bearer\", \"token\": \"{token}\"}")
                .request("body", "{\"type\": \"form\", \"fields\": {\"user\": \"ada\", \"password\": \"{token}\"}}");
    }

    /** The caller's variables come back as given; nothing else in the result may carry the secret. */
    private static void assertNoSecretBeyondTheCallersVariables(JsonNode result) {
        ObjectNode rest = result.deepCopy();
        rest.remove("variables");
        assertFalse(rest.toString().contains(CANARY), rest.toString());
    }

    @Test
    void renderSendsNothingAndShowsTheMaskedRequest() {
        JsonNode result = stepWithSecrets("render").invoke();
        assertEquals(0, api.findAll(anyRequestedFor(anyUrl())).size());
        assertEquals("success", result.get("branch").asText());
        assertEquals(0, result.get("attempts").intValue());
        JsonNode request = result.get("request");
        assertEquals("POST", request.get("method").asText());
        assertEquals(DemoApi.base(api) + "/orders/A%201?access_token=***&page=2", request.get("url").asText());
        assertTrue(request.toString().contains("\"name\":\"Authorization\",\"value\":\"***\""), request.toString());
        assertTrue(request.toString().contains("\"name\":\"X-Trace\",\"value\":\"t-1\""));
        assertEquals("user=ada&password=***", request.get("body").asText());
        assertNoSecretBeyondTheCallersVariables(result);
        assertFalse(result.has("response"));
    }

    @Test
    void testModeSendsAndShowsRequestResponseAndPaths() {
        JsonNode result = stepWithSecrets("test").invoke();
        assertEquals(1, api.findAll(anyRequestedFor(anyUrl())).size());
        assertEquals(CANARY, api.findAll(anyRequestedFor(anyUrl())).get(0).getCookies().get("sid").getValue());
        JsonNode response = result.get("response");
        assertEquals(200, response.get("status").intValue());
        assertTrue(response.get("body").asText().contains("\"sku\""));
        assertEquals("[\"response\",\"response.order\",\"response.order.items\",\"response.order.items[0]\","
                + "\"response.order.items[0].sku\",\"response.n\"]", response.get("paths").toString());
        assertNoSecretBeyondTheCallersVariables(result);
    }

    @Test
    void runModeShowsNeitherRequestNorResponse() {
        JsonNode result = stepWithSecrets("run").invoke();
        assertFalse(result.has("request"));
        assertFalse(result.has("response"));
        assertNoSecretBeyondTheCallersVariables(result);
    }
}
