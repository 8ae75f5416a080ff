package dev.apistep.step;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.core.NameValue;
import java.util.List;
import java.util.Objects;

/**
 * A request body before rendering. {@code content} is the JSON template (a string or a JSON value) for
 * {@code json}, the raw text for {@code text}; {@code fields} feed {@code form} and {@code multipart}.
 */
public record BodyTemplate(BodyType type, JsonNode content, List<NameValue> fields, String contentType) {

    public static final BodyTemplate NONE = new BodyTemplate(BodyType.NONE, null, List.of(), null);

    public BodyTemplate {
        Objects.requireNonNull(type, "type");
        fields = List.copyOf(fields);
    }
}
