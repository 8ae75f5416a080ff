package dev.apistep.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.egress.HttpResponse;
import java.io.IOException;

/**
 * A response as captures read it: status, headers, the body and, when the body is JSON, its tree. A UTF-8
 * body is parsed from its bytes; its text is decoded only when a capture or a trace asks for it.
 */
public record ResponseDocument(HttpResponse response, JsonNode json) {

    public static ResponseDocument of(HttpResponse response, ObjectMapper mapper) {
        return new ResponseDocument(response, parse(response, mapper));
    }

    /** The body as text, in the charset the response names. */
    public String text() {
        return response.text();
    }

    public boolean isEmpty() {
        return response.body().length == 0;
    }

    public boolean isJson() {
        return json != null;
    }

    /** Parsed when it looks like JSON whatever the Content-Type says; APIs often mislabel it. */
    private static JsonNode parse(HttpResponse response, ObjectMapper mapper) {
        byte[] body = response.body();
        int first = 0;
        while (first < body.length && isJsonWhitespace(body[first])) {
            first++;
        }
        if (first == body.length || !mayStartJson(body, first)) {
            return null;
        }
        try {
            return response.isUtf8() ? mapper.readTree(body) : mapper.readTree(response.text());
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    private static boolean mayStartJson(byte[] body, int at) {
        char first = (char) body[at];
        return first == '{' || first == '[' || first == '"' || first == '-' || Character.isDigit(first)
                || startsWith(body, at, "true") || startsWith(body, at, "false") || startsWith(body, at, "null");
    }

    private static boolean startsWith(byte[] body, int at, String word) {
        if (body.length - at < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (body[at + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
