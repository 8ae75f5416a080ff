package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LogCapture;
import dev.apistep.support.ToolCatalogueProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tool calls through the Lambda event path (contract §8): each platform's envelope runs the catalogue's tool named in
 * it against a loopback API and is answered in the platform's own shape; arguments are checked before anything is sent.
 */
@QuarkusTest
@TestProfile(ToolCatalogueProfile.class)
class ToolCallsTest {

    private static final WireMockServer API = ToolCatalogueProfile.api();

    @BeforeEach
    void orders() {
        ToolCatalogueProfile.resetOrders();
    }

    private static JsonNode call(String event) {
        return LambdaEvents.invokeRaw(event.replace('\'', '"'));
    }

    private static List<LoggedRequest> sent() {
        return API.findAll(anyRequestedFor(anyUrl()));
    }

    @Test
    void openAiChatCompletionsCallIsAnsweredAsAToolMessage() {
        JsonNode reply = call("{'toolCall': {'id': 'call_1', 'type': 'function', 'function': {'name': 'get_order_status',"
                + " 'arguments': '{\\'order_id\\': \\'A-17\\'}'}}, 'variables': {'agent_id': 'ag-7'}}");
        assertEquals("tool", reply.get("role").asText(), reply.toString());
        assertEquals("call_1", reply.get("tool_call_id").asText());
        assertEquals("Order A-17 is shipped.", reply.get("content").asText());
        assertEquals("Let me check order A-17.", reply.at("/messages/start").asText());
        assertEquals(2000, reply.at("/messages/delayed/afterMs").intValue());
        assertEquals("Order A-17 is shipped.", reply.at("/messages/complete").asText());
        assertFalse(reply.has("result"), "the full result only in test mode");
        LoggedRequest request = sent().get(0);
        assertEquals("Bearer " + ToolCatalogueProfile.ORDER_API_TOKEN, request.getHeader("Authorization"));
        assertEquals("ag-7", request.getHeader("X-Agent"), "the event's bound variable, not the default");
    }

    @Test
    void responsesAnthropicAndVapiShapes() {
        JsonNode responses = call("{'toolCall': {'type': 'function_call', 'call_id': 'fc_9', 'name': 'get_order_status',"
                + " 'arguments': '{\\'order_id\\':\\'A-17\\'}'}}");
        assertEquals("function_call_output", responses.get("type").asText(), responses.toString());
        assertEquals("fc_9", responses.get("call_id").asText());
        assertEquals("Order A-17 is shipped.", responses.get("output").asText());

        JsonNode anthropic = call("{'toolCall': {'type': 'tool_use', 'id': 'toolu_1', 'name': 'get_order_status',"
                + " 'input': {'order_id': 'A-17'}}}");
        assertEquals("tool_result", anthropic.get("type").asText(), anthropic.toString());
        assertEquals("toolu_1", anthropic.get("tool_use_id").asText());
        assertEquals("Order A-17 is shipped.", anthropic.get("content").asText());
        assertFalse(anthropic.get("is_error").booleanValue());

        JsonNode vapi = call("{'message': {'type': 'tool-calls', 'toolCallList': [{'id': 'v1', 'type': 'function',"
                + " 'function': {'name': 'get_order_status', 'arguments': {'order_id': 'A-17'}}}]}}");
        assertEquals("v1", vapi.at("/results/0/toolCallId").asText(), vapi.toString());
        assertEquals("Order A-17 is shipped.", vapi.at("/results/0/result").asText());
        assertEquals(3, sent().size());
    }

    @Test
    void argumentsThatDoNotValidateSendNothingAndSayWhy() {
        JsonNode pattern = call("{'toolCall': {'type': 'tool_use', 'id': 't', 'name': 'get_order_status',"
                + " 'input': {'order_id': '../admin'}}}");
        assertTrue(pattern.get("is_error").booleanValue(), pattern.toString());
        assertTrue(pattern.get("content").asText().startsWith("Error INVALID_ARGUMENTS: "), pattern.toString());
        assertTrue(pattern.get("content").asText().contains("order_id"), pattern.toString());

        JsonNode notJson = call("{'toolCall': {'id': 'c', 'type': 'function', 'function': {'name': 'get_order_status',"
                + " 'arguments': '{order_id: A-17'}}}");
        assertTrue(notJson.get("content").asText().contains("INVALID_ARGUMENTS"), notJson.toString());

        JsonNode extra = call("{'toolCall': {'type': 'tool_use', 'id': 't', 'name': 'get_order_status',"
                + " 'input': {'order_id': 'A-17', 'agent_id': 'admin'}}, 'variables': {'agent_id': 'ag-7'}}");
        assertTrue(extra.get("is_error").booleanValue(), "a bound variable is no argument: " + extra);

        JsonNode unknown = call("{'toolCall': {'type': 'tool_use', 'id': 't', 'name': 'drop_tables', 'input': {}}}");
        assertTrue(unknown.get("content").asText().contains("get_order_status"), unknown.toString());
        assertEquals(0, sent().size(), "nothing reaches the API");
    }

    @Test
    void derivedParametersTakeDefaultsAndBoundVariables() {
        JsonNode reply = call("{'toolCall': {'type': 'tool_use', 'id': 't', 'name': 'add_order_note',"
                + " 'input': {'order_id': 'A-17', 'note': 'leave at {secret:order-api-token} door'}},"
                + " 'variables': {'agent_id': 'ag-7'}, 'mode': 'test'}");
        assertFalse(reply.get("is_error").booleanValue(), reply.toString());
        assertEquals("{\"note_id\":981}", reply.get("content").asText());
        assertEquals("success", reply.at("/result/branch").asText(), "test mode carries the full result");
        LoggedRequest request = sent().get(0);
        assertEquals("/orders/A-17/notes?lang=en", request.getUrl());
        JsonNode body = LambdaEvents.read(request.getBodyAsString());
        assertEquals("leave at {secret:order-api-token} door", body.get("note").asText(), "an argument is never a template");
        assertEquals("ag-7", body.get("by").asText());
        assertEquals("1", body.get("priority").asText(), "a default, inserted in its string literal");
    }

    @Test
    void aFailingCallSaysTheCodeAndNothingInternal() {
        JsonNode reply = call("{'toolCall': {'type': 'tool_use', 'id': 't', 'name': 'get_order_status',"
                + " 'input': {'order_id': 'A-500'}}}");
        assertTrue(reply.get("is_error").booleanValue(), reply.toString());
        assertEquals("Error HTTP_STATUS: the API answered with status 500.", reply.get("content").asText());
        assertEquals("I could not reach the order system.", reply.at("/messages/failed").asText());
        assertFalse(reply.toString().contains("10.0.0.7"));
    }

    /** An API that echoes the tool's own credential: the model's answer, and the spoken lines, show it masked. */
    @Test
    void aCredentialTheApiEchoesIsMaskedInTheAnswer() {
        API.stubFor(get(urlPathEqualTo("/orders/A-18")).willReturn(okJson("{\"status\": \"held for "
                + ToolCatalogueProfile.ORDER_API_TOKEN + "\"}")));
        JsonNode reply = call("{'toolCall': {'type': 'tool_use', 'id': 't', 'name': 'get_order_status',"
                + " 'input': {'order_id': 'A-18'}}, 'mode': 'test'}");
        assertEquals("Order A-18 is held for ***.", reply.get("content").asText(), reply.toString());
        assertEquals("Order A-18 is held for ***.", reply.at("/messages/complete").asText());
    }

    @Test
    void theStepLineNamesTheToolAndNoSecret() {
        List<String> lines;
        try (LogCapture capture = LogCapture.start()) {
            call("{'toolCall': {'type': 'tool_use', 'id': 't', 'name': 'get_order_status', 'input': {'order_id': 'A-17'}},"
                    + " 'context': {'tenantId': 'acme'}}");
            lines = capture.lines().stream().filter(line -> line.contains("\"_aws\"")).toList();
        }
        assertEquals(1, lines.size(), lines.toString());
        JsonNode line = LambdaEvents.read(lines.get(0));
        assertEquals("get_order_status", line.get("tool").asText(), line.toString());
        assertEquals("get-order-status", line.get("stepId").asText());
        assertEquals("acme", line.get("tenant").asText());
        assertFalse(lines.get(0).contains(ToolCatalogueProfile.ORDER_API_TOKEN));
    }

    @Test
    void toolsModeListsTheCatalogueInEachForm() {
        JsonNode result = call("{'mode': 'tools', 'variables': {'agent_id': 'ag-7'}}");
        JsonNode tools = result.get("tools");
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals(List.of("add_order_note", "get_order_status", "slow_lookup"),
                tools.get("anthropic").findValuesAsText("name"));
        JsonNode note = tools.at("/openai/0/function/parameters");
        assertEquals("[\"order_id\",\"note\"]", note.get("required").toString(), note.toString());
        assertFalse(note.get("properties").has("agent_id"), "bound by the caller");
        assertEquals("integer", note.at("/properties/priority/type").asText(), note.toString());
        assertEquals("integer", tools.at("/mcp/1/outputSchema/properties/http_status/type").asText());
        assertEquals("request-response-delayed", tools.at("/vapi/2/messages/0/type").asText());
        assertEquals("get_order_status", tools.at("/openaiResponses/1/name").asText());
    }
}
