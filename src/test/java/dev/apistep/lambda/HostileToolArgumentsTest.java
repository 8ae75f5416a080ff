package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.ToolCatalogueProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A model's arguments as an attacker writes them (contract §8), through the Lambda event path: each call is answered in
 * the platform's shape with INVALID_ARGUMENTS, nothing reaches the API, and no call holds the function.
 */
@QuarkusTest
@TestProfile(ToolCatalogueProfile.class)
class HostileToolArgumentsTest {

    private static final WireMockServer API = ToolCatalogueProfile.api();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @BeforeEach
    void anyOrder() {
        API.resetAll();
        API.stubFor(get(urlPathMatching("/orders/.*")).willReturn(okJson("{\"status\": \"shipped\"}")));
    }

    private static String repeat(String text, int times) {
        return text.repeat(times);
    }

    /** Arguments of get_order_status (order_id: a string, ^A-[0-9]{1,8}$, no other field). */
    static Stream<JsonNode> hostileArguments() {
        ObjectNode manyFields = NODES.objectNode();
        for (int i = 0; i < 20_000; i++) {
            manyFields.put("f" + i, i);
        }
        return Stream.of(
                NODES.objectNode().put("order_id", 17),
                NODES.objectNode().put("order_id", true),
                NODES.objectNode().set("order_id", NODES.arrayNode().add("A-17")),
                NODES.objectNode().put("order_id", "A-17").put("extra", "x"),
                NODES.objectNode().put("order_id", repeat("A", 1024 * 1024)),
                NODES.objectNode().put("order_id", "A-1" + repeat("7", 100_000)),
                NODES.objectNode().put("order_id", "{secret:order-api-token}"),
                NODES.objectNode().put("order_id", "{agent_id}"),
                NODES.objectNode().put("order_id", "A-17/../../admin"),
                NODES.objectNode().put("order_id", "A-17\r\nX-Injected: 1"),
                NODES.objectNode().put("agent_id", "admin"),
                NODES.objectNode(),
                NODES.arrayNode().add("A-17"),
                NODES.textNode("A-17"),
                NODES.textNode("{\"order_id\": \"A-17\""),
                NODES.textNode("{\"order_id\": \"A-17\"} {\"order_id\": \"A-18\"}"),
                NODES.textNode(repeat("[", 10_000) + repeat("]", 10_000)),
                NODES.textNode("{\"order_id\": " + repeat("[", 10_000) + repeat("]", 10_000) + "}"),
                manyFields);
    }

    @ParameterizedTest
    @MethodSource("hostileArguments")
    @Timeout(30)
    void refusedInThePlatformsShapeWithNothingSent(JsonNode arguments) {
        ObjectNode event = NODES.objectNode();
        ObjectNode call = event.putObject("toolCall").put("id", "call_1").put("type", "function");
        ObjectNode function = call.putObject("function").put("name", "get_order_status");
        function.set("arguments", arguments);
        event.putObject("variables").put("agent_id", "ag-7");
        JsonNode reply = LambdaEvents.invoke(event);
        assertEquals("tool", reply.path("role").asText(), reply.toString().substring(0, Math.min(400, reply.toString().length())));
        assertEquals("call_1", reply.get("tool_call_id").asText());
        String content = reply.get("content").asText();
        assertTrue(content.startsWith("Error INVALID_ARGUMENTS: "), content.substring(0, Math.min(300, content.length())));
        assertTrue(content.length() < 2_000, "the message never echoes a long argument back: " + content.length());
        assertFalse(content.contains(ToolCatalogueProfile.ORDER_API_TOKEN));
        assertEquals(0, API.findAll(anyRequestedFor(anyUrl())).size(), "nothing reaches the API");
    }

    /** A step of the event's own whose pattern backtracks without end on a long run of a's: refused, never held. */
    @Test
    @Timeout(30)
    void aPatternThatWouldBacktrackIsGivenUpOn() {
        ObjectNode event = (ObjectNode) LambdaEvents.read(("{'step': {'request': {'url': '" + ToolCatalogueProfile.base()
                + "/orders/{q}'}, 'tool': {'name': 'runaway', 'description': 'd', 'parameters': {'type': 'object',"
                + " 'properties': {'q': {'type': 'string', 'pattern': '^(a+)+$'}}, 'required': ['q']}}},"
                + " 'toolCall': {'type': 'tool_use', 'id': 't', 'name': 'runaway', 'input': {}}}").replace('\'', '"'));
        ((ObjectNode) event.at("/toolCall/input")).put("q", repeat("a", 30_000) + "!");
        JsonNode reply = LambdaEvents.invoke(event);
        assertTrue(reply.get("is_error").booleanValue(), reply.toString());
        assertTrue(reply.get("content").asText().startsWith("Error INVALID_ARGUMENTS: "), reply.toString());
        assertEquals(0, API.findAll(anyRequestedFor(anyUrl())).size());
    }
}
