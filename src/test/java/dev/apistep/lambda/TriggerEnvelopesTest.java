package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract's wrapped forms: Function URL / API Gateway, SQS, EventBridge. */
@QuarkusTest
class TriggerEnvelopesTest {

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void script() {
        api.stubFor(any(urlPathEqualTo("/ok")).willReturn(okJson("{\"status\": \"shipped\"}")));
        api.stubFor(any(urlPathEqualTo("/missing")).willReturn(aResponse().withStatus(404)));
        api.stubFor(any(urlPathEqualTo("/busy")).willReturn(aResponse().withStatus(503)));
    }

    private static String step(String url) {
        return StepEvents.step("GET", url).capture("[{\"variable\": \"status\", \"path\": \"status\"}]").json().toString();
    }

    private static ObjectNode functionUrlRequest(String body, boolean base64) {
        ObjectNode request = LambdaEvents.JSON.createObjectNode().put("version", "2.0").put("routeKey", "$default")
                .put("rawPath", "/").put("rawQueryString", "").put("isBase64Encoded", base64)
                .put("body", base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body);
        request.putObject("headers").put("content-type", "application/json");
        request.putObject("requestContext").put("requestId", "r-1").putObject("http").put("method", "POST").put("path", "/");
        return request;
    }

    @Test
    void aFunctionUrlRequestIsAnsweredWithTheResultAsItsBody() {
        JsonNode response = LambdaEvents.invoke(functionUrlRequest(step(DemoApi.base(api) + "/ok"), false));
        assertEquals(200, response.get("statusCode").intValue());
        assertEquals("application/json", response.get("headers").get("content-type").asText());
        JsonNode result = LambdaEvents.read(response.get("body").asText());
        assertEquals("success", result.get("branch").asText());
        assertEquals(200, result.get("variables").get("status").intValue());
    }

    @Test
    void aBase64ApiGatewayRestRequestIsUnwrappedToo() {
        ObjectNode request = LambdaEvents.JSON.createObjectNode().put("resource", "/step").put("path", "/step")
                .put("httpMethod", "POST").put("isBase64Encoded", true)
                .put("body", Base64.getEncoder().encodeToString(step(DemoApi.base(api) + "/ok").getBytes(StandardCharsets.UTF_8)));
        request.putObject("requestContext").put("stage", "prod");
        JsonNode result = LambdaEvents.read(LambdaEvents.invoke(request).get("body").asText());
        assertEquals("success", result.get("branch").asText(), result.toString());
    }

    @Test
    void anHttpBodyThatIsNotAStepIsAnsweredWithInvalidEvent() {
        JsonNode response = LambdaEvents.invoke(functionUrlRequest("not json at all", false));
        assertEquals(200, response.get("statusCode").intValue());
        JsonNode result = LambdaEvents.read(response.get("body").asText());
        assertEquals("INVALID_EVENT", result.get("error").get("code").asText());
        assertEquals(0, api.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void anEventBridgeEventRunsItsDetail() {
        ObjectNode event = LambdaEvents.JSON.createObjectNode().put("version", "0").put("id", "e-1")
                .put("detail-type", "api-step").put("source", "bot.runtime");
        event.set("detail", LambdaEvents.read(step(DemoApi.base(api) + "/ok")));
        JsonNode result = LambdaEvents.invoke(event);
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals(1, api.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void sqsReportsOnlyRecordsWorthRetryingAsFailures() {
        int closed = DemoApi.closedPort();
        ObjectNode batch = LambdaEvents.JSON.createObjectNode();
        ArrayNode records = batch.putArray("Records");
        String[][] cases = {
            {"ok", step(DemoApi.base(api) + "/ok")},
            {"not-found", step(DemoApi.base(api) + "/missing")},
            {"busy", step(DemoApi.base(api) + "/busy")},
            {"unreachable", step("http://127.0.0.1:" + closed + "/x")},
            {"garbage", "{not json"},
        };
        for (String[] record : cases) {
            records.addObject().put("messageId", record[0]).put("eventSource", "aws:sqs").put("body", record[1]);
        }
        JsonNode response = LambdaEvents.invoke(batch);
        assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"busy\"},{\"itemIdentifier\":\"unreachable\"}]}",
                response.toString());
        assertEquals(3, api.findAll(anyRequestedFor(anyUrl())).size());
    }
}
