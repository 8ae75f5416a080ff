package dev.apistep.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** STUB (lead's local stand-in until the helper's version lands). */
public final class ParameterSchema {
    public static final int MAX_ARGUMENTS_BYTES = 256 * 1024;
    public static final int MAX_DEPTH = 32;

    public static ObjectNode check(JsonNode schema, String field) {
        if (!schema.isObject()) {
            throw dev.apistep.core.StepFailure.invalidStep(field, field + " must be an object");
        }
        return (ObjectNode) schema;
    }

    public static ObjectNode derive(List<String> names, ObjectNode defaults) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        var required = schema.putArray("required");
        for (String name : names) {
            if (defaults != null && defaults.has(name)) {
                properties.putObject(name).set("default", defaults.get(name));
            } else {
                properties.putObject(name).put("type", "string");
                required.add(name);
            }
        }
        schema.put("additionalProperties", false);
        return schema;
    }
}
