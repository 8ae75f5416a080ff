package dev.apistep.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.egress.HttpResponse;
import java.io.IOException;

/** A response as captures read it: status, headers, the raw text and, when the body is JSON, its tree. */
public record ResponseDocument(HttpResponse response, String text, JsonNode json) {

    public static ResponseDocument of(HttpResponse response, ObjectMapper mapper) {
        String text = response.text();
        return new ResponseDocument(response, text, parse(text, mapper));
    }

    public boolean isJson() {
        return json != null;
    }

    /** Parsed when it looks like JSON whatever the Content-Type says; APIs often mislabel it. */
    private static JsonNode parse(String text, ObjectMapper mapper) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return null;
        }
        char first = trimmed.charAt(0);
        if (first != '{' && first != '[' && first != '"' && first != '-' && !Character.isDigit(first)
                && !trimmed.equals("true") && !trimmed.equals("false") && !trimmed.equals("null")) {
            return null;
        }
        try {
            return mapper.readTree(trimmed);
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }
}
