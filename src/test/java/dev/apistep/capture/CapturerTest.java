package dev.apistep.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.Deadline;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.NameValue;
import dev.apistep.core.Warnings;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.step.Capture;
import dev.apistep.step.StepOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapturerTest {

    private static final ObjectMapper JSON = LosslessJson.newMapper();
    private static final String ORDER = """
            {"order": {"status": "shipped", "items": [{"sku": "SKU-1", "qty": 2}, {"sku": "SKU-2", "qty": 1}],
             "note": null, "zip": "00123", "id": 12345678901234567890123, "price": 0.1000000000000000000001,
             "total": 12.50, "paid": true, "tags": ["a", "b"]}, "weird key": {"x": 1}}""";

    private final Capturer capturer = new Capturer(JSON);
    private final Warnings warnings = new Warnings();

    private ObjectNode capture(String body, String contentType, Capture... captures) {
        HttpResponse response = new HttpResponse(200,
                List.of(new NameValue("Content-Type", contentType), new NameValue("X-Request-Id", "r-1"),
                        new NameValue("Set-Cookie", "a=1"), new NameValue("Set-Cookie", "b=2")),
                body.getBytes(StandardCharsets.UTF_8), URI.create("http://h.test/"));
        return capturer.capture(List.of(captures), ResponseDocument.of(response, JSON), warnings, Deadline.afterMillis(StepOptions.MAX_TIMEOUT_MS));
    }

    private static Capture path(String path) {
        return new Capture("v", path, false, null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            response.order.status           | '"shipped"'
            order.status                    | '"shipped"'
            response.order.items[1].sku     | '"SKU-2"'
            order.items[0]                  | '{"sku":"SKU-1","qty":2}'
            $.order.items[0].sku            | '"SKU-1"'
            $.order.items[*].sku            | '["SKU-1","SKU-2"]'
            $..qty                          | '[2,1]'
            $['weird key'].x                | 1
            order.zip                       | '"00123"'
            order.id                        | 12345678901234567890123
            order.price                     | 0.1000000000000000000001
            order.total                     | 12.50
            order.paid                      | true
            order.tags                      | '["a","b"]'
            order.note                      | null
            status                          | 200
            headers.x-request-id            | '"r-1"'
            headers.X-REQUEST-ID            | '"r-1"'
            headers.set-cookie              | '"a=1, b=2"'
            """)
    void capturesEachPathFormKeepingJsonTypes(String path, String expectedJson) {
        JsonNode value = capture(ORDER, "application/json", path(path)).get("v");
        assertEquals(expectedJson, value.toString());
        assertTrue(warnings.list().isEmpty(), warnings.list().toString());
    }

    @Test
    void capturesTheWholeBodyAsJsonOrAsText() {
        ObjectNode changes = capture(ORDER, "application/json", new Capture("json", "response", false, null),
                new Capture("raw", "body", false, null));
        assertEquals("shipped", changes.get("json").get("order").get("status").textValue());
        assertEquals(ORDER, changes.get("raw").textValue());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            order.missing
            order.note.inner
            order.items[5].sku
            order.status.inner
            $.order.nothing
            $..nothing
            headers.x-absent
            $[invalid
            order.items[99999999999]
            order.items[2147483648].sku
            $.order.items[99999999999]
            """)
    void aPathThatDoesNotResolveLeavesTheVariableAndWarns(String path) {
        ObjectNode changes = capture(ORDER, "application/json", path(path));
        assertFalse(changes.has("v"));
        assertEquals(1, warnings.list().size(), warnings.list().toString());
        assertTrue(warnings.list().get(0).contains(path));
    }

    @Test
    void aDefaultIsUsedWhenThePathDoesNotResolveEvenANullOne() throws Exception {
        ObjectNode changes = capture(ORDER, "application/json",
                new Capture("a", "order.missing", true, JSON.readTree("\"none\"")),
                new Capture("b", "order.missing", true, JSON.nullNode()),
                new Capture("c", "order.status", true, JSON.readTree("\"unused\"")));
        assertEquals("{\"a\":\"none\",\"b\":null,\"c\":\"shipped\"}", changes.toString());
    }

    @Test
    void aTextBodyFeedsBodyAndStatusButNoJsonPath() {
        ObjectNode changes = capture("plain words", "text/plain",
                new Capture("raw", "body", false, null), new Capture("s", "status", false, null),
                new Capture("j", "response.x", false, null));
        assertEquals("plain words", changes.get("raw").textValue());
        assertEquals(200, changes.get("s").intValue());
        assertFalse(changes.has("j"));
    }

    @Test
    void anEmptyBodySkipsBodyCapturesWithOneWarningButKeepsStatusAndHeaders() {
        ObjectNode changes = capture("", "application/json",
                new Capture("a", "order.status", false, null), new Capture("b", "$.x", false, null),
                new Capture("s", "status", false, null), new Capture("h", "headers.X-Request-Id", false, null));
        assertEquals("{\"s\":200,\"h\":\"r-1\"}", changes.toString());
        assertEquals(List.of("the response body is empty; captures from the body were skipped"), warnings.list());
    }

    @Test
    void listsEveryPathOfABodyForTheBuilder() throws Exception {
        List<String> paths = PathLister.list(JSON.readTree("{\"a\": {\"b\": [1, {\"c\": 2}]}, \"x.y\": 3}"));
        assertEquals(List.of("response", "response.a", "response.a.b", "response.a.b[0]", "response.a.b[1]",
                "response.a.b[1].c"), paths);
    }

    @Test
    void aJsonBodyThatStartsWithAByteOrderMarkIsJson() {
        byte[] json = "{\"order\": {\"status\": \"shipped\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        for (String contentType : new String[] {"application/json", "application/json; charset=utf-8", "text/plain"}) {
            HttpResponse response = new HttpResponse(200, List.of(new NameValue("Content-Type", contentType)), withBom,
                    URI.create("http://h.test/"));
            ResponseDocument document = ResponseDocument.of(response, JSON);
            assertTrue(document.isJson(), contentType);
            assertEquals("\"shipped\"", capturer.capture(List.of(path("order.status")), document, warnings, Deadline.afterMillis(StepOptions.MAX_TIMEOUT_MS)).get("v").toString());
        }
        HttpResponse utf16 = new HttpResponse(200, List.of(new NameValue("Content-Type", "application/json; charset=UTF-16")),
                "\uFEFF{\"a\": 1}".getBytes(StandardCharsets.UTF_16BE), URI.create("http://h.test/"));
        assertTrue(ResponseDocument.of(utf16, JSON).isJson());
    }

    @Test
    void aPathJsonPathItselfTripsOnIsUnresolved() {
        ObjectNode changes = capture(ORDER, "application/json", path("$..length()$$$$$$$$$length()"));
        assertFalse(changes.has("v"));
        assertTrue(warnings.list().get(0).contains("did not resolve"), warnings.list().toString());
    }
}
