package dev.apistep.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** XML bodies read into the tree JSON paths read, XPath captures, and hostile XML refused. */
class XmlCaptureTest {

    private static final ObjectMapper JSON = LosslessJson.newMapper();
    static final String ORDER = """
            <?xml version="1.0" encoding="UTF-8"?>
            <order id="A-17" xmlns:x="urn:x">
              <status>shipped</status>
              <items>
                <item sku="SKU-1"><qty>2</qty></item>
                <item sku="SKU-2"><qty>1</qty></item>
              </items>
              <note lang="en">fragile &amp; <![CDATA[<heavy>]]></note>
              <empty/>
              <x:ref>r-1</x:ref>
            </order>""";

    private final Capturer capturer = new Capturer(JSON);
    private final Warnings warnings = new Warnings();

    private ResponseDocument document(String body, String contentType) {
        return ResponseDocument.of(new HttpResponse(200, List.of(new NameValue("Content-Type", contentType)),
                body.getBytes(StandardCharsets.UTF_8), URI.create("http://h.test/")), JSON);
    }

    private ObjectNode capture(String body, String contentType, String path) {
        return capturer.capture(List.of(new Capture("v", path, false, null)), document(body, contentType), warnings,
                Deadline.afterMillis(StepOptions.MAX_TIMEOUT_MS));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            response.order.status                 | '"shipped"'
            order.@id                             | '"A-17"'
            order.items.item[1].@sku              | '"SKU-2"'
            order.items.item[0]                   | '{"@sku":"SKU-1","qty":"2"}'
            order.note.#text                      | '"fragile & <heavy>"'
            order.note.@lang                      | '"en"'
            order.empty                           | '""'
            order.x:ref                           | '"r-1"'
            $..item[0].@sku                       | '["SKU-1"]'
            $..qty                                | '["2","1"]'
            xpath:/order/status                   | '"shipped"'
            xpath:/order/items/item[2]/@sku       | '"SKU-2"'
            xpath://qty                           | '["2","1"]'
            xpath:count(//item)                   | 2
            xpath:sum(//qty) > 2                  | true
            xpath:string(/order/@id)              | '"A-17"'
            xpath:/order/x:ref                    | '"r-1"'
            xpath:/order/items/item[1]            | '{"@sku":"SKU-1","qty":"2"}'
            """)
    void readsXmlWithThePathsJsonUses(String path, String expected) throws Exception {
        ObjectNode changes = capture(ORDER, "application/xml; charset=utf-8", path);
        assertEquals(JSON.readTree(expected), changes.get("v"), warnings.list().toString());
        assertTrue(warnings.list().isEmpty(), warnings.list().toString());
    }

    @Test
    void aBodyThatStartsWithAnAngleBracketIsXmlWhateverItsType() {
        assertEquals("shipped", capture(ORDER, "text/plain", "order.status").get("v").textValue());
        assertEquals("shipped", capture("<a><b>shipped</b></a>", "application/octet-stream", "a.b").get("v").textValue());
    }

    @Test
    void htmlIsNotReadAsXmlAndSaysNothing() {
        ObjectNode changes = capture("<!DOCTYPE html><html><body>x</body></html>", "text/html", "html.body");
        assertFalse(changes.has("v"));
        assertTrue(warnings.list().stream().noneMatch(w -> w.contains("XML")), warnings.list().toString());
    }

    @Test
    void listsXmlPathsLikeJsonOnes() {
        List<String> paths = PathLister.list(document(ORDER, "text/xml").json());
        assertTrue(paths.containsAll(List.of("response.order", "response.order.status", "response.order.@id",
                "response.order.items.item[1].@sku", "response.order.note.#text")), paths.toString());
    }

    @Test
    void invalidXpathIsAWarning() {
        assertFalse(capture(ORDER, "application/xml", "xpath:/order[").has("v"));
        assertTrue(warnings.list().get(0).contains("is not valid XPath"), warnings.list().toString());
    }

    @Test
    void bodyBase64IsTheRawBytes() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, (byte) 0xff};
        ResponseDocument document = ResponseDocument.of(new HttpResponse(200, List.of(new NameValue("Content-Type", "image/png")),
                png, URI.create("http://h.test/")), JSON);
        ObjectNode changes = capturer.capture(List.of(new Capture("v", "bodyBase64", false, null)), document, warnings,
                Deadline.afterMillis(1000));
        assertEquals(java.util.Base64.getEncoder().encodeToString(png), changes.get("v").textValue());
    }

    static final String BILLION_LAUGHS = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
             <!ENTITY lol "lol">
             <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
             <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
             <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
             <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
             <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
             <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
             <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
             <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
             <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
            ]>
            <lolz>&lol9;</lolz>""";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            billion laughs          | BILLION | DOCTYPE
            external file           | <?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r> | DOCTYPE
            external url            | <?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><r>&x;</r> | DOCTYPE
            undeclared entity       | <r>&x;</r> | references an entity
            deep nesting            | DEEP | deeper than 200
            attributes past 200000  | ATTRIBUTES | more than 200000 attributes, comments and processing instructions
            comments past 200000    | COMMENTS | more than 200000 attributes, comments and processing instructions
            """)
    void hostileXmlIsRefusedWithAWarningNeverExpanded(String name, String body, String why) {
        String xml = switch (body) {
            case "BILLION" -> BILLION_LAUGHS;
            case "DEEP" -> "<a>".repeat(10_000) + "</a>".repeat(10_000);
            case "ATTRIBUTES" -> "<r>" + "<e a=\"\" b=\"\" c=\"\" d=\"\"/>".repeat(50_001) + "</r>";
            case "COMMENTS" -> "<r>" + "<!---->".repeat(200_001) + "</r>";
            default -> body;
        };
        ResponseDocument document = document(xml, "application/xml");
        assertNull(document.json());
        ObjectNode changes = capture(xml, "application/xml", "xpath://*");
        assertFalse(changes.has("v"));
        assertTrue(warnings.list().get(0).startsWith("the XML response") && warnings.list().get(0).contains(why),
                warnings.list().toString());
        assertTrue(capture(xml, "application/xml", "body").get("v").textValue().equals(xml), "the raw body still reads");
    }

    /** Quadratic XPath over a few thousand elements: stopped at the deadline (or, on a fast machine, simply answered). */
    @Test
    void anExpensiveXpathEndsAtTheDeadline() {
        String xml = "<r>" + "<a><b>1</b></a>".repeat(3000) + "</r>";
        ResponseDocument document = document(xml, "application/xml");
        ObjectNode changes = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> capturer.capture(List.of(new Capture("v", "xpath:count(//*[count(//b) > count(preceding::*)])", true,
                        JSON.readTree("-1")), new Capture("s", "status", false, null)), document, warnings, Deadline.afterMillis(100)));
        assertEquals(200, changes.get("s").intValue(), "cheap captures still apply");
        if (changes.get("v").intValue() == -1) {
            assertTrue(warnings.list().get(0).contains("stopped at the step's deadline; the default was used"), warnings.list().toString());
        }
    }

    /** An element is the tree's own value, selected, not copied: {@code //*} costs a reference per element. */
    @Test
    void anXpathSelectsTheTreesOwnValues() {
        ResponseDocument document = document(ORDER, "application/xml");
        ObjectNode changes = capturer.capture(List.of(new Capture("v", "xpath:/order/items", false, null),
                new Capture("all", "xpath://*", false, null)), document, warnings, Deadline.afterMillis(10_000));
        assertSame(document.json().get("order").get("items"), changes.get("v"));
        assertSame(document.json().get("order"), changes.get("all").get(0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            xpath://node()                    | TEXTS | selected more than 200000 nodes
            xpath:string(/)                   | TEXT  | gave a value of more than 2621440 bytes
            xpath:string-length(concat(/,/,/)) | TEXT  | read more than 8388608 characters of the document
            """)
    void anXpathPastItsBoundsIsUnresolved(String path, String body, String bound) {
        String xml = body.equals("TEXTS") ? "<r>" + "<e>1</e>".repeat(150_000) + "</r>" : "<r><t>" + "x".repeat(3_900_000) + "</t></r>";
        ObjectNode changes = capturer.capture(List.of(new Capture("v", path, true, JSON.getNodeFactory().textNode("none"))),
                document(xml, "application/xml"), warnings, Deadline.afterMillis(StepOptions.MAX_TIMEOUT_MS));
        assertEquals("none", changes.get("v").asText(), warnings.list().toString());
        assertEquals("capture 'v': path " + path + " " + bound + (bound.startsWith("gave") ? ", more than a result can hold" : "")
                + "; the default was used", warnings.list().get(0));
    }

    /**
     * Evaluations abandoned at the deadline, one per slot, stop at their next read of the document: the slots
     * come free, and the next XPath capture gets one.
     */
    @Test
    void abandonedEvaluationsStopAndFreeTheirSlots() {
        ResponseDocument document = document("<r>" + "<a><b>1</b></a>".repeat(20_000) + "</r>", "application/xml");
        for (int abandoned = 0; abandoned < 2; abandoned++) {
            ObjectNode stopped = capturer.capture(List.of(new Capture("v", "xpath:count(//b[count(//b[. = '1']) = 0])", false,
                    null)), document, warnings, Deadline.afterMillis(200));
            assertFalse(stopped.has("v"), "stopped at the deadline: " + stopped);
        }
        ObjectNode next = capturer.capture(List.of(new Capture("n", "xpath:count(/r/a)", false, null)), document, warnings,
                Deadline.afterMillis(5_000));
        assertEquals(20_000, next.path("n").intValue(), warnings.list().toString());
    }

    /** 199,001 elements take longer to read than the capture stage's grace: the body is refused there, not read on. */
    @Test
    void aBodyStillBeingReadAtTheDeadlineIsRefused() {
        ResponseDocument document = ResponseDocument.of(new HttpResponse(200, List.of(new NameValue("Content-Type", "application/xml")),
                dev.apistep.support.HostileDocuments.deepXmlChains().getBytes(StandardCharsets.UTF_8), URI.create("http://h.test/")),
                JSON, Deadline.afterMillis(0));
        assertNull(document.json());
        assertEquals("the XML response was still being read at the step's deadline; it was not read, so its XML paths do not resolve",
                document.xmlRefusal());
    }

    @Test
    void aCharsetFromTheContentTypeIsHonoured() {
        ResponseDocument document = ResponseDocument.of(new HttpResponse(200,
                List.of(new NameValue("Content-Type", "text/xml; charset=ISO-8859-1")),
                "<city>S\u00e3o Paulo</city>".getBytes(StandardCharsets.ISO_8859_1), URI.create("http://h.test/")), JSON);
        assertEquals("S\u00e3o Paulo", document.json().get("city").textValue());
    }
}
