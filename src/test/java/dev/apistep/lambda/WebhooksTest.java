package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.function.WebhookSignature;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.OperatorSettingsProfile;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Standard Webhooks, with a secret configured: signed requests in, signed callbacks out. */
@QuarkusTest
@TestProfile(OperatorSettingsProfile.class)
class WebhooksTest {

    private static final WebhookSignature SIGNER = new WebhookSignature(OperatorSettingsProfile.WEBHOOK_SECRET, Duration.ofMinutes(5));

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void script() {
        api.stubFor(any(urlPathEqualTo("/crm")).willReturn(okJson("{\"status\": \"ok\"}")));
        api.stubFor(any(urlPathEqualTo("/callback")).willReturn(aResponse().withStatus(204)));
        api.stubFor(any(urlPathEqualTo("/callback-missing")).willReturn(aResponse().withStatus(404)));
    }

    private static String step() {
        return StepEvents.step("GET", DemoApi.base(api) + "/crm").json().toString();
    }

    private static ObjectNode functionUrlRequest(String body, String id, long timestamp, String signature) {
        ObjectNode request = LambdaEvents.JSON.createObjectNode().put("version", "2.0").put("routeKey", "$default")
                .put("rawPath", "/").put("isBase64Encoded", false).put("body", body);
        ObjectNode headers = request.putObject("headers").put("content-type", "application/json");
        if (signature != null) {
            headers.put("webhook-id", id).put("webhook-timestamp", Long.toString(timestamp)).put("webhook-signature", signature);
        }
        request.putObject("requestContext").putObject("http").put("method", "POST");
        return request;
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static List<LoggedRequest> received(String path) {
        return api.findAll(anyRequestedFor(urlPathEqualTo(path)));
    }

    @Test
    void aSignedRequestRunsItsStep() {
        String body = step();
        long timestamp = now();
        JsonNode response = LambdaEvents.invoke(functionUrlRequest(body, "msg_1", timestamp,
                SIGNER.sign("msg_1", timestamp, body.getBytes(StandardCharsets.UTF_8))));
        assertEquals(200, response.get("statusCode").intValue(), response.toString());
        assertEquals("success", LambdaEvents.read(response.get("body").asText()).get("branch").asText());
        assertEquals(1, received("/crm").size());
    }

    @Test
    void unsignedForgedAndReplayedRequestsAreRefusedAndRunNothing() {
        String body = step();
        long old = now() - 600;
        for (ObjectNode request : List.of(
                functionUrlRequest(body, null, 0, null),
                functionUrlRequest(body, "msg_2", now(), "v1,Zm9yZ2Vk"),
                functionUrlRequest(body, "msg_3", now(), SIGNER.sign("msg_3", now(), "{}".getBytes(StandardCharsets.UTF_8))),
                functionUrlRequest(body, "msg_4", old, SIGNER.sign("msg_4", old, body.getBytes(StandardCharsets.UTF_8))))) {
            JsonNode response = LambdaEvents.invoke(request);
            assertEquals(401, response.get("statusCode").intValue(), response.toString());
        }
        assertEquals(0, received("/crm").size());
    }

    @Test
    void theResultIsDeliveredToTheCallbackSigned() {
        ObjectNode event = (ObjectNode) LambdaEvents.read(step());
        event.put("callback", DemoApi.base(api) + "/callback");
        JsonNode result = LambdaEvents.invoke(event);
        assertEquals("[]", result.get("warnings").toString());
        List<LoggedRequest> callbacks = received("/callback");
        assertEquals(1, callbacks.size());
        LoggedRequest callback = callbacks.get(0);
        assertEquals("POST", callback.getMethod().getName());
        assertTrue(SIGNER.verify(callback.getHeader("webhook-id"), callback.getHeader("webhook-timestamp"),
                callback.getHeader("webhook-signature"), callback.getBody(), now()), "a Standard Webhooks verifier accepts it");
        JsonNode delivered = LambdaEvents.read(callback.getBodyAsString());
        assertEquals("success", delivered.get("branch").asText());
        assertEquals(200, delivered.get("status").intValue());
    }

    @Test
    void aCallbackThatFailsOrIsRefusedBecomesAWarning() {
        ObjectNode missing = (ObjectNode) LambdaEvents.read(step());
        missing.putObject("callback").put("url", DemoApi.base(api) + "/callback-missing");
        assertTrue(LambdaEvents.invoke(missing).get("warnings").toString().contains("answered status 404"));
        ObjectNode blocked = (ObjectNode) LambdaEvents.read(step());
        blocked.put("callback", "http://169.254.169.254/latest/meta-data/");
        JsonNode result = LambdaEvents.invoke(blocked);
        assertEquals("success", result.get("branch").asText(), "the step itself succeeded");
        assertTrue(result.get("warnings").toString().contains("failed: BLOCKED_DESTINATION"), result.toString());
    }

    @Test
    void aCallbackThatIsNotAnHttpUrlIsAnInvalidEvent() {
        ObjectNode event = (ObjectNode) LambdaEvents.read(step());
        event.put("callback", "ftp://example.com/results");
        JsonNode result = LambdaEvents.invoke(event);
        assertEquals("INVALID_EVENT", result.get("error").get("code").asText());
        assertEquals("callback", result.get("error").get("reason").asText());
        assertEquals(0, received("/crm").size());
    }
}
