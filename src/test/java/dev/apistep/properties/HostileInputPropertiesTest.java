package dev.apistep.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.capture.Capturer;
import dev.apistep.capture.ResponseDocument;
import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepFailure;
import dev.apistep.core.Warnings;
import dev.apistep.destination.RequestGuard;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import dev.apistep.read.StepEventParser;
import dev.apistep.step.Capture;
import dev.apistep.step.DottedPath;
import dev.apistep.step.StepEvent;
import dev.apistep.step.StepOptions;
import dev.apistep.support.TestSecrets;
import dev.apistep.template.RequestRenderer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and hostile inputs to the engine's input half: the template renderer, the event reader and
 * capture paths raise nothing but {@link StepFailure} with the contract's codes, and a variable's value
 * never changes the request's structure.
 */
class HostileInputPropertiesTest {

    private static final ObjectMapper JSON = LosslessJson.newMapper();
    private static final Set<ErrorCode> RENDER_CODES = EnumSet.of(ErrorCode.INVALID_STEP, ErrorCode.UNRESOLVED_VARIABLE,
            ErrorCode.INVALID_BODY, ErrorCode.BLOCKED_DESTINATION);
    private static final Set<ErrorCode> EVENT_CODES = EnumSet.of(ErrorCode.INVALID_EVENT, ErrorCode.INVALID_STEP,
            ErrorCode.UNRESOLVED_VARIABLE, ErrorCode.INVALID_BODY);

    private final StepEventParser parser = new StepEventParser();
    private final RequestRenderer renderer = new RequestRenderer(JSON, "api-step-test", TestSecrets.none());
    private final Capturer capturer = new Capturer(JSON);

    /** Text an end user can type, weighted towards what separates parts of a request. */
    @Provide
    Arbitrary<String> hostileText() {
        Arbitrary<Character> separators = Arbitraries.of('/', '?', '#', '&', '=', '%', '"', '\\', '{', '}', '[', ']', '.',
                ':', ';', ',', ' ', '\r', '\n', '\t', '\u0000', '\u0001', '\u001b', '\u007f', '+', '\u2028', '\uFEFF', '@', '\'', '<', '$');
        Arbitrary<Character> any = Arbitraries.chars().all().filter(c -> !Character.isSurrogate(c));
        Arbitrary<String> mixed = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, separators), net.jqwik.api.Tuple.of(2, any),
                net.jqwik.api.Tuple.of(2, Arbitraries.chars().alpha())).list().ofMaxSize(40)
                .map(chars -> chars.stream().map(String::valueOf).reduce("", String::concat));
        return Arbitraries.oneOf(mixed, Arbitraries.of("%0d%0aX-Injected: 1", "a/../../b", "x\", \"injected\": \"y", "{v}",
                "{{v}}", "?x=1&y=2", "#frag", "a\r\nX-Evil: 1", "\"}", "{secret:crm-token}", "../", "%2F", "🙂"));
    }

    private static ObjectNode event(String value) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree("""
                {"mode": "render", "step": {"id": "p", "request": {"method": "POST",
                  "url": "https://api.example.test/a/{v}/b?x={v}&y=1",
                  "headers": [{"name": "X-One", "value": "{v}"}, {"name": "X-Two", "value": "pre-{v}-post"}],
                  "query": [{"name": "q", "value": "{v}"}],
                  "body": {"type": "json", "content": "{\\"k\\": \\"{v}\\", \\"n\\": {v}, \\"list\\": [\\"{v}\\"]}"}}},
                 "variables": {}}""");
        ((ObjectNode) event.get("variables")).put("v", value);
        return event;
    }

    private record Shape(String method, int pathSegments, List<String> queryNames, List<String> headerNames,
            List<String> bodyKeys) {
    }

    private static Shape shape(OutboundRequest request) throws Exception {
        List<String> queryNames = new ArrayList<>();
        String query = request.uri().getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            queryNames.add(pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair);
        }
        List<String> bodyKeys = new ArrayList<>();
        if (request.body() instanceof RequestBody.Text text) {
            Iterator<String> names = JSON.readTree(text.text()).fieldNames();
            names.forEachRemaining(bodyKeys::add);
        }
        return new Shape(request.method(), request.uri().getRawPath().split("/", -1).length, queryNames,
                request.headers().stream().map(NameValue::name).toList(), bodyKeys);
    }

    @Property(tries = 300)
    void aVariableNeverChangesTheRequestsStructure(@ForAll("hostileText") String value) throws Exception {
        Shape benign = shape(renderer.render(parser.parse(event("plain")), new Warnings()));
        OutboundRequest rendered;
        try {
            rendered = renderer.render(parser.parse(event(value)), new Warnings());
            // What the pipeline does next, before anything is sent: a control character in a header value is refused here.
            new RequestGuard().check(rendered);
        } catch (StepFailure failure) {
            assertTrue(RENDER_CODES.contains(failure.error().code()), failure.error().toString());
            // Refused only for what a header cannot hold, a path segment that would be a hole or a step back,
            // or a secret the test environment does not have.
            assertTrue(holdsControlCharacter(value) || value.contains("{secret:")
                    || value.isEmpty() || value.equals(".") || value.equals(".."), "refused: " + failure.error());
            return;
        }
        assertEquals(benign, shape(rendered), "value " + value);
        for (NameValue header : rendered.headers()) {
            assertFalse(holdsControlCharacter(header.value()), header.toString());
        }
    }

    /** What a header value cannot hold (RFC 9110 allows tab and no other control character). */
    private static boolean holdsControlCharacter(String text) {
        return text.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
    }

    /** Random JSON with the event's own field names, nested a few levels. */
    @Provide
    Arbitrary<JsonNode> randomEvents() {
        Arbitrary<String> keys = Arbitraries.of("mode", "step", "request", "url", "method", "headers", "query", "body", "type",
                "content", "fields", "auth", "token", "username", "password", "in", "name", "value", "capture", "variable",
                "path", "default", "options", "timeoutMs", "retry", "maxAttempts", "successStatuses", "onError", "variables",
                "context", "tenantId", "curl", "tls", "tags", "success", "callback", "id", "", "x");
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                Arbitraries.of("run", "test", "render", "import", "GET", "post", "https://h.test/{v}", "json", "form",
                        "multipart", "text", "basic", "bearer", "apiKey", "oauth2", "header", "query", "2xx", "9xx", "{v}",
                        "$..a", "response.a[99999999999]", "curl https://h.test -H 'a: b'", "").map(JsonNodeFactory.instance::textNode),
                hostileText().map(JsonNodeFactory.instance::textNode),
                Arbitraries.longs().map(JsonNodeFactory.instance::numberNode),
                Arbitraries.bigDecimals().map(JsonNodeFactory.instance::numberNode),
                Arbitraries.of(true, false).map(JsonNodeFactory.instance::booleanNode),
                Arbitraries.just(JsonNodeFactory.instance.nullNode()));
        return Arbitraries.recursive(() -> scalars, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(values -> {
                    ArrayNode array = JsonNodeFactory.instance.arrayNode();
                    values.forEach(array::add);
                    return (JsonNode) array;
                }),
                net.jqwik.api.Combinators.combine(keys.list().ofMaxSize(5), inner.list().ofSize(5)).as((names, values) -> {
                    ObjectNode object = JsonNodeFactory.instance.objectNode();
                    for (int i = 0; i < names.size(); i++) {
                        object.set(names.get(i), values.get(i));
                    }
                    return (JsonNode) object;
                })), 0, 5);
    }

    @Property(tries = 500)
    void anyJsonEventIsReadOrRefusedWithTheContractsCodes(@ForAll("randomEvents") JsonNode event) throws Exception {
        for (JsonNode candidate : List.of(event, wrapped(event))) {
            try {
                StepEvent parsed = parser.parse(candidate);
                assertNotNull(parsed.step());
                renderer.render(parsed, new Warnings());
            } catch (StepFailure failure) {
                assertTrue(EVENT_CODES.contains(failure.error().code()), failure.error().toString());
            }
            assertNotNull(StepEventParser.variablesOf(candidate));
        }
    }

    /** The random tree as the step of an otherwise valid event, so that the parser gets past the envelope. */
    private static JsonNode wrapped(JsonNode step) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.set("step", step.isObject() ? ((ObjectNode) step).deepCopy().set("request",
                step.has("request") ? step.get("request") : JsonNodeFactory.instance.objectNode().put("url", "https://h.test/x")) : step);
        event.putObject("variables").put("v", "1");
        return event;
    }

    @Provide
    Arbitrary<String> capturePaths() {
        Arbitrary<String> pieces = Arbitraries.of("$", "$.", "$..", "response", "response.", ".", "..", "[", "]", "[0]", "[-1]",
                "[99999999999]", "[*]", "*", "a", "b", "items", "?(", ")", "@", "@.a", " =~ ", "/a+/", "/(a+)+b/i", " == ", "'",
                "\"", "length()", "min()", "[?(@.a)]", "['a']", "headers.", "status", "body", ":", "1", "-", "\\", " ", "{", "}");
        return pieces.list().ofMaxSize(12).map(list -> String.join("", list)).filter(path -> !path.isBlank());
    }

    private static final String BODY = """
            {"a": [{"a": "aaa", "b": 1}, {"a": "ab"}], "items": [1, 2, 3], "b": {"a": {"a": null}}, "x.y": true}""";

    @Property(tries = 500)
    void anyCapturePathIsAValueOrUnresolvedNeverAnException(@ForAll("capturePaths") String path) throws Exception {
        ResponseDocument document = ResponseDocument.of(new HttpResponse(200,
                List.of(new NameValue("Content-Type", "application/json"), new NameValue("X-A", "1")),
                BODY.getBytes(StandardCharsets.UTF_8), URI.create("http://h.test/")), JSON);
        Warnings warnings = new Warnings();
        ObjectNode changes = capturer.capture(List.of(new Capture("v", path, false, null)), document, warnings, Deadline.afterMillis(StepOptions.MAX_TIMEOUT_MS));
        assertTrue(changes.has("v") || !warnings.list().isEmpty(), "an unresolved path says so: " + path);
        DottedPath.walk(document.json(), path);
    }
}
