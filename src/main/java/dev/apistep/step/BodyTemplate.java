package dev.apistep.step;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.core.NameValue;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request body before rendering. {@code content} is the JSON template (a string or a JSON value) for
 * {@code json}, the raw text for {@code text}; {@code fields} feed {@code form} and {@code multipart}.
 * {@code files}: the multipart fields that are files, by their index in {@code fields} (whose value is then
 * unused); {@code fieldTypes}: the content types (templates) of multipart text fields, by their index in
 * {@code fields}; {@code binary}: the bytes of a {@code binary} body.
 */
public record BodyTemplate(BodyType type, JsonNode content, List<NameValue> fields, String contentType,
        Map<Integer, FileTemplate> files, Map<Integer, String> fieldTypes, FileTemplate binary) {

    public static final BodyTemplate NONE = new BodyTemplate(BodyType.NONE, null, List.of(), null);

    public BodyTemplate {
        Objects.requireNonNull(type, "type");
        fields = List.copyOf(fields);
        files = Map.copyOf(files);
        fieldTypes = Map.copyOf(fieldTypes);
    }

    /** A body without files or typed multipart fields. */
    public BodyTemplate(BodyType type, JsonNode content, List<NameValue> fields, String contentType) {
        this(type, content, fields, contentType, Map.of(), Map.of(), null);
    }
}
