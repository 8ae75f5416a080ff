package dev.apistep.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.core.Deadline;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.step.StepOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A response as captures read it: status, headers, the body and, when the body is JSON or XML, its tree
 * (for XML, the tree {@link XmlBody} maps it to, and the XML itself for {@code xpath:} captures). A UTF-8
 * body is parsed from its bytes; its text is decoded only when a capture or a trace asks for it.
 */
public record ResponseDocument(HttpResponse response, JsonNode json, XmlBody xml) {

    public static ResponseDocument of(HttpResponse response, ObjectMapper mapper) {
        return of(response, mapper, Deadline.afterMillis(StepOptions.MAX_TIMEOUT_MS));
    }

    /** An XML body is read within the step's {@code deadline} (plus the capture stage's grace), like its captures. */
    public static ResponseDocument of(HttpResponse response, ObjectMapper mapper, Deadline deadline) {
        JsonNode json = parse(response, mapper);
        if (json != null) {
            return new ResponseDocument(response, json, null);
        }
        XmlBody xml = response.body().length == 0 ? null : XmlBody.read(response, CaptureBudget.within(deadline));
        return new ResponseDocument(response, xml == null ? null : xml.tree(), xml);
    }

    /** Why an XML body was not read (a DOCTYPE, too deep, not well-formed), or null. */
    public String xmlRefusal() {
        return xml == null ? null : xml.refusal();
    }

    /** The body as text, in the charset the response names. */
    public String text() {
        return response.text();
    }

    public boolean isEmpty() {
        return response.body().length == 0;
    }

    /** Whether the body has a tree for paths: JSON, or XML read into the same shape. */
    public boolean isJson() {
        return json != null;
    }

    /** Parsed when it looks like JSON whatever the Content-Type says; APIs often mislabel it. */
    private static JsonNode parse(HttpResponse response, ObjectMapper mapper) {
        try {
            return response.isUtf8() ? parseUtf8(response.body(), mapper) : parseText(response.text(), mapper);
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    private static JsonNode parseUtf8(byte[] body, ObjectMapper mapper) throws IOException {
        // A byte order mark is not JSON, but Windows tools and some frameworks send one: skip it.
        int bom = hasUtf8Bom(body) ? 3 : 0;
        int first = bom;
        while (first < body.length && isJsonWhitespace((char) body[first])) {
            first++;
        }
        // The first few bytes are enough to tell; JSON's own tokens are ASCII.
        String start = new String(body, first, Math.min(5, body.length - first), StandardCharsets.ISO_8859_1);
        return mayStartJson(start) ? mapper.readTree(body, bom, body.length - bom) : null;
    }

    private static boolean hasUtf8Bom(byte[] body) {
        return body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF;
    }

    private static JsonNode parseText(String text, ObjectMapper mapper) throws IOException {
        String trimmed = (text.startsWith("\uFEFF") ? text.substring(1) : text).strip();
        return mayStartJson(trimmed) ? mapper.readTree(trimmed) : null;
    }

    private static boolean mayStartJson(String start) {
        if (start.isEmpty()) {
            return false;
        }
        char first = start.charAt(0);
        return first == '{' || first == '[' || first == '"' || first == '-' || Character.isDigit(first)
                || start.startsWith("true") || start.startsWith("false") || start.startsWith("null");
    }

    private static boolean isJsonWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
