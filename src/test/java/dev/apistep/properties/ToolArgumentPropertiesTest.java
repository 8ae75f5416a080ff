package dev.apistep.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepFailure;
import dev.apistep.core.Warnings;
import dev.apistep.destination.RequestGuard;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.read.StepEventParser;
import dev.apistep.step.Step;
import dev.apistep.step.StepEvent;
import dev.apistep.support.TestSecrets;
import dev.apistep.template.RequestRenderer;
import dev.apistep.tool.ArgumentValidator;
import dev.apistep.tool.ToolArguments;
import dev.apistep.tool.ToolSchemas;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A model's arguments (contract §8) through the stages a tool call goes through before anything is sent: the schema
 * (derived from the step's templates, less the bound variable), the validator, the renderer and the request guard.
 * Arguments that validate never change the request's method, host, path segments or header names, and never reach a
 * bound variable; the rest are refused with INVALID_ARGUMENTS (or, for what a header cannot hold, INVALID_STEP).
 */
class ToolArgumentPropertiesTest {

    private static final ObjectMapper JSON = LosslessJson.newMapper();
    private static final Set<ErrorCode> REFUSALS = EnumSet.of(ErrorCode.INVALID_ARGUMENTS, ErrorCode.INVALID_STEP);
    private static final String BOUND_AGENT = "agent-bound-by-the-runtime";

    private final StepEventParser parser = new StepEventParser();
    private final RequestRenderer renderer = new RequestRenderer(JSON, "api-step-test", TestSecrets.none());
    private final Step step = parser.parse(read("""
            {"mode": "render", "step": {"id": "p", "request": {"method": "PATCH",
              "url": "https://api.example.test/v1/orders/{order_id}/items?q={query}",
              "headers": [{"name": "X-Note", "value": "{note}"}, {"name": "X-Agent", "value": "{agent_id}"}],
              "body": {"type": "json", "content": {"note": "{note}", "agent": "{agent_id}"}}},
              "tool": {"name": "patch_order", "description": "Change an order."}}}""")).step();

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<String> text() {
        Arbitrary<Character> separators = Arbitraries.of('/', '?', '#', '&', '=', '%', '"', '\\', '{', '}', '.', ':',
                ' ', '\r', '\n', '\t', '\u0000', '\u007f', '@', '\'');
        Arbitrary<String> mixed = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, separators),
                        net.jqwik.api.Tuple.of(2, Arbitraries.chars().alpha())).list().ofMaxSize(30)
                .map(chars -> chars.stream().map(String::valueOf).reduce("", String::concat));
        return Arbitraries.oneOf(mixed, Arbitraries.of("../../admin", "{agent_id}", "{secret:crm-token}", "%2F..%2F",
                "a\r\nX-Injected: 1", "?q=1#f", "A-17"));
    }

    @Provide
    Arbitrary<JsonNode> value() {
        return Arbitraries.oneOf(text().map(JsonNodeFactory.instance::textNode),
                Arbitraries.integers().map(JsonNodeFactory.instance::numberNode),
                Arbitraries.of(JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.booleanNode(true),
                        read("{\"nested\": {\"x\": [1, 2]}}"), read("[\"a\", \"b\"]")));
    }

    @Provide
    Arbitrary<Map<String, JsonNode>> arguments() {
        Arbitrary<String> names = Arbitraries.of("order_id", "query", "note", "agent_id", "made_up", "__proto__");
        return Arbitraries.maps(names, value()).ofMaxSize(5);
    }

    private record Shape(String method, String host, int pathSegments, List<String> headerNames) {
    }

    private static Shape shape(OutboundRequest request) {
        return new Shape(request.method(), request.uri().getHost(), request.uri().getRawPath().split("/", -1).length,
                request.headers().stream().map(NameValue::name).toList());
    }

    private OutboundRequest render(ObjectNode arguments) {
        ObjectNode bound = JsonNodeFactory.instance.objectNode().put("agent_id", BOUND_AGENT);
        ObjectNode schema = ToolSchemas.input(step.tool(), JsonNodeFactory.instance.objectNode(), Set.of("agent_id"));
        ObjectNode variables = ArgumentValidator.validate(schema, ToolArguments.parse(arguments, JSON),
                Deadline.afterMillis(5_000));
        variables.setAll(bound);
        StepEvent event = parser.forTool(read("{\"mode\": \"render\"}"), step, variables);
        OutboundRequest request = renderer.render(event, new Warnings());
        new RequestGuard().check(request);
        return request;
    }

    @Property(tries = 400)
    void argumentsThatValidateKeepTheStepsShape(@ForAll("arguments") Map<String, JsonNode> generated) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        arguments.setAll(generated);
        Shape own = shape(render(JsonNodeFactory.instance.objectNode().put("order_id", "A-17").put("query", "q")
                .put("note", "n")));
        OutboundRequest request;
        try {
            request = render(arguments);
        } catch (StepFailure refused) {
            assertTrue(REFUSALS.contains(refused.error().code()), refused.error().toString());
            return;
        }
        assertEquals(own, shape(request), arguments.toString());
        assertFalse(arguments.has("agent_id") || arguments.has("made_up") || arguments.has("__proto__"),
                "a bound variable or a field the schema does not name was let through: " + arguments);
        for (String name : List.of("order_id", "query", "note")) {
            assertTrue(arguments.path(name).isTextual(), "the derived schema takes strings only: " + arguments);
        }
        assertEquals(BOUND_AGENT, request.headers().stream().filter(header -> header.name().equals("X-Agent"))
                .findFirst().orElseThrow().value());
    }
}
