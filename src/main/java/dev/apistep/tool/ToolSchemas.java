package dev.apistep.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.step.Capture;
import dev.apistep.step.ToolSpec;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A tool's input schema (what a model fills in) and output schema (what the step captures), contract §8. */
public final class ToolSchemas {

    private ToolSchemas() {
    }

    /**
     * The tool's {@code parameters}, or the schema derived from its templates' variables and {@code defaults}; less
     * every variable in {@code bound}: the caller sets those, and a model can neither see nor override them.
     */
    public static ObjectNode input(ToolSpec tool, ObjectNode defaults, Set<String> bound) {
        ObjectNode schema = tool.parameters() != null ? tool.parameters().deepCopy() : derived(tool, defaults);
        if (bound.isEmpty()) {
            return schema;
        }
        if (schema.path("properties").isObject()) {
            ((ObjectNode) schema.get("properties")).remove(bound);
        }
        if (schema.path("required").isArray()) {
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            for (JsonNode name : schema.get("required")) {
                if (!bound.contains(name.asText())) {
                    kept.add(name);
                }
            }
            schema.set("required", kept);
        }
        return schema;
    }

    /**
     * Derived parameters: a required one may not be empty either, since an empty value would leave a hole (refused in
     * a URL path) or send nothing where the template expects something; a model is told so before anything is sent.
     */
    private static ObjectNode derived(ToolSpec tool, ObjectNode defaults) {
        ObjectNode schema = ParameterSchema.derive(tool.templateVariables(), defaults);
        for (JsonNode name : schema.path("required")) {
            JsonNode property = schema.path("properties").path(name.asText());
            if (property.isObject() && "string".equals(property.path("type").asText())) {
                ((ObjectNode) property).put("minLength", 1);
            }
        }
        return schema;
    }

    /** One property per captured variable, typed where the path says what it gives. */
    public static ObjectNode output(List<Capture> captures) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        for (Capture capture : captures) {
            ObjectNode property = properties.putObject(capture.variable());
            String path = capture.path().trim().toLowerCase(Locale.ROOT);
            if (path.equals("status")) {
                property.put("type", "integer");
            } else if (path.startsWith("headers.") || path.equals("body")) {
                property.put("type", "string");
            }
        }
        return schema;
    }
}
