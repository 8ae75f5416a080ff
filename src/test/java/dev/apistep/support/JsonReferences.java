package dev.apistep.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Every {@code $ref} a JSON document (an OpenAPI description, a schema) makes, in document order. */
public final class JsonReferences {

    private JsonReferences() {
    }

    public static List<String> in(JsonNode document) {
        List<String> references = new ArrayList<>();
        collect(document, references);
        return references;
    }

    private static void collect(JsonNode node, List<String> references) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("$ref")) {
                    references.add(field.getValue().asText());
                } else {
                    collect(field.getValue(), references);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, references));
        }
    }
}
