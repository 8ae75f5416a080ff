package dev.apistep.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.support.ContainerToolCatalogueProfile;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LogCapture;
import dev.apistep.support.ToolCatalogueProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tool calls through container mode's {@code POST /} (contract §8): each platform's body posted as is, and the same
 * call as an event's {@code toolCall}, runs the catalogue's tool against a loopback API and is answered in the
 * platform's own shape; arguments that do not validate send nothing; a tenant-bound caller's call runs as its tenant.
 */
@QuarkusTest
@TestProfile(ContainerToolCatalogueProfile.class)
class ToolCallsOverHttpTest extends FunctionOverHttp {

    private static final WireMockServer API = ToolCatalogueProfile.api();
    private static final String TOOL = "get_order_status";
    private static final String SHIPPED = "Order A-17 is shipped.";

    @BeforeEach
    void orders() {
        API.resetAll();
        API.stubFor(get(urlPathEqualTo("/orders/A-17")).willReturn(okJson("{\"status\": \"shipped\", \"eta\": \"2026-12-09\"}")));
        API.stubFor(get(urlPathEqualTo("/orders/A-500")).willReturn(aResponse().withStatus(500).withBody("db down at 10.0.0.7")));
    }

    /** Each platform's call of {@code get_order_status} with these arguments, and what its answer must show. */
    static Stream<Arguments> platforms() {
        return Stream.of(
                Arguments.of("OpenAI Chat Completions", (Envelope) arguments -> object().put("id", "call_1")
                        .put("type", "function").set("function", object().put("name", TOOL)
                                .put("arguments", arguments.toString())),
                        (Shape) (reply, text) -> {
                            assertEquals("tool", reply.get("role").asText(), reply.toString());
                            assertEquals("call_1", reply.get("tool_call_id").asText());
                            text.accept(reply.get("content").asText());
                        }),
                Arguments.of("OpenAI Responses", (Envelope) arguments -> object().put("type", "function_call")
                        .put("call_id", "fc_9").put("name", TOOL).put("arguments", arguments.toString()),
                        (Shape) (reply, text) -> {
                            assertEquals("function_call_output", reply.get("type").asText(), reply.toString());
                            assertEquals("fc_9", reply.get("call_id").asText());
                            text.accept(reply.get("output").asText());
                        }),
                Arguments.of("Anthropic", (Envelope) arguments -> object().put("type", "tool_use").put("id", "toolu_1")
                        .put("name", TOOL).set("input", arguments),
                        (Shape) (reply, text) -> {
                            assertEquals("tool_result", reply.get("type").asText(), reply.toString());
                            assertEquals("toolu_1", reply.get("tool_use_id").asText());
                            assertEquals(!reply.get("content").asText().equals(SHIPPED), reply.get("is_error").booleanValue());
                            text.accept(reply.get("content").asText());
                        }),
                Arguments.of("Vapi", (Envelope) arguments -> {
                    ObjectNode body = object();
                    body.putObject("message").put("type", "tool-calls").putArray("toolCallList").addObject()
                            .put("id", "v1").put("type", "function")
                            .set("function", object().put("name", TOOL).set("arguments", arguments));
                    return body;
                }, (Shape) (reply, text) -> {
                    assertEquals(1, reply.get("results").size(), reply.toString());
                    assertEquals("v1", reply.at("/results/0/toolCallId").asText());
                    text.accept(reply.at("/results/0/result").asText());
                }));
    }

    interface Envelope {
        ObjectNode of(ObjectNode arguments);
    }

    interface Shape {
        void check(JsonNode reply, Consumer<String> text);
    }

    private static ObjectNode object() {
        return LambdaEvents.JSON.createObjectNode();
    }

    private static ObjectNode order(String orderId) {
        return object().put("order_id", orderId);
    }

    /** The platform's body as is, then the same call as an event's {@code toolCall}. */
    private static List<String> bodies(Envelope envelope, ObjectNode arguments) {
        ObjectNode call = envelope.of(arguments);
        ObjectNode event = object().set("toolCall", call);
        event.putObject("variables").put("agent_id", "ag-7");
        return List.of(call.toString(), event.toString());
    }

    private Response post(String token, String body) {
        var request = given().contentType("application/json").body(body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.when().post(root);
    }

    private JsonNode answer(String token, String body) {
        Response response = post(token, body);
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("application/json", response.contentType());
        return LambdaEvents.read(response.asString());
    }

    private static List<LoggedRequest> sent() {
        return API.findAll(anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void eachPlatformsBodyAsIsAndAsAToolCallEventIsAnsweredInItsShape(String platform, Envelope envelope, Shape shape) {
        List<String> bodies = bodies(envelope, order("A-17"));
        for (String body : bodies) {
            shape.check(answer(ContainerToolCatalogueProfile.PLATFORM_TOKEN, body), text -> assertEquals(SHIPPED, text));
        }
        List<LoggedRequest> requests = sent();
        assertEquals(2, requests.size(), "one API call per posted call");
        for (LoggedRequest request : requests) {
            assertEquals("/orders/A-17", request.getUrl());
            assertEquals("Bearer " + ToolCatalogueProfile.ORDER_API_TOKEN, request.getHeader("Authorization"));
        }
        assertEquals("unknown-agent", requests.get(0).getHeader("X-Agent"), "the catalogue's default");
        assertEquals("ag-7", requests.get(1).getHeader("X-Agent"), "the event's bound variable");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void argumentsThatDoNotValidateSendNothingAndAreAnsweredInTheShape(String platform, Envelope envelope, Shape shape) {
        List<ObjectNode> refused = List.of(order("../admin"), object(), order("A-17").put("admin", true));
        for (ObjectNode arguments : refused) {
            for (String body : bodies(envelope, arguments)) {
                shape.check(answer(ContainerToolCatalogueProfile.PLATFORM_TOKEN, body), text -> {
                    assertTrue(text.startsWith("Error INVALID_ARGUMENTS: "), arguments + ": " + text);
                    assertTrue(text.contains(arguments.has("admin") ? "admin" : "order_id"), arguments + ": " + text);
                });
            }
        }
        assertEquals(0, sent().size(), "nothing reaches the API");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void aFailingCallSaysItsCodeAndNothingInternal(String platform, Envelope envelope, Shape shape) {
        for (String body : bodies(envelope, order("A-500"))) {
            JsonNode reply = answer(ContainerToolCatalogueProfile.PLATFORM_TOKEN, body);
            shape.check(reply, text -> assertEquals("Error HTTP_STATUS: the API answered with status 500.", text));
            assertFalse(reply.toString().contains("10.0.0.7"), reply.toString());
        }
    }

    @Test
    void aTenantTokensToolCallRunsAsItsTenantAndCannotNameAnother() {
        List<Envelope> envelopes = platforms().map(platform -> (Envelope) platform.get()[1]).toList();
        String anthropic = envelopes.get(2).of(order("A-17")).toString();
        String vapi = envelopes.get(3).of(order("A-17")).toString();
        List<String> lines;
        try (LogCapture capture = LogCapture.start()) {
            assertEquals(SHIPPED, answer(ContainerToolCatalogueProfile.TENANT_TOKEN, anthropic).get("content").asText());
            assertEquals(SHIPPED, answer(ContainerToolCatalogueProfile.TENANT_TOKEN, "{\"toolCall\": " + anthropic + "}")
                    .get("content").asText());
            assertEquals(SHIPPED, answer(ContainerToolCatalogueProfile.TENANT_TOKEN, vapi).at("/results/0/result").asText());
            lines = capture.lines();
        }
        List<JsonNode> steps = lines.stream().filter(line -> line.contains("\"_aws\"")).map(LambdaEvents::read).toList();
        assertEquals(3, steps.size(), lines.toString());
        steps.forEach(step -> assertEquals(ContainerToolCatalogueProfile.TENANT, step.get("tenant").asText(), step.toString()));
        assertTrue(lines.stream().noneMatch(line -> line.contains(ContainerToolCatalogueProfile.TENANT_TOKEN)));
        assertEquals(3, sent().size());

        String otherTenant = "{\"toolCall\": " + anthropic + ", \"context\": {\"tenantId\": \"globex\"}}";
        assertEquals(403, post(ContainerToolCatalogueProfile.TENANT_TOKEN, otherTenant).statusCode());
        assertEquals(401, post(null, anthropic).statusCode(), "no token, no call");
        assertEquals(401, post("wrong-token", vapi).statusCode());
        assertEquals(3, sent().size(), "a refused call sends nothing");
    }
}
