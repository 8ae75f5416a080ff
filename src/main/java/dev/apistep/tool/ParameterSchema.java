package dev.apistep.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.StepFailure;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A tool's {@code parameters} (contract §8): the JSON Schema subset that model APIs accept, checked once when
 * the tool is read, or derived from the variables a step's templates use. {@link ArgumentValidator} trusts
 * a schema that passed {@link #check}: its depth, its patterns and its bounds are known to be sound.
 */
public final class ParameterSchema {

    /** The largest arguments, written compactly: far above any real tool call, far below the event's 6 MiB. */
    public static final int MAX_ARGUMENTS_BYTES = 256 * 1024;
    /** The deepest schema, and the deepest arguments: real tool parameters nest a few levels. */
    public static final int MAX_DEPTH = 32;
    /** The longest pattern: a pattern's compiled size and matching cost grow with it. */
    static final int MAX_PATTERN_CHARS = 1000;

    static final Set<String> TYPES = Set.of("object", "array", "string", "number", "integer", "boolean", "null");
    /** Keywords that only describe (no effect on validation), besides vendor extensions ({@code x-...}). */
    private static final Set<String> ANNOTATIONS = Set.of("description", "title", "default", "examples", "$schema",
            "$id", "$comment", "readOnly", "writeOnly", "deprecated");
    private static final List<String> SUPPORTED = List.of("type", "properties", "required", "additionalProperties",
            "items", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
            "maxLength", "pattern", "format", "minItems", "maxItems");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ParameterSchema() {
    }

    /**
     * Fails with {@code INVALID_STEP} naming the field at fault (such as {@code
     * step.tool.parameters.properties.order_id.pattern}) unless {@code schema} is an object schema within the
     * supported subset: the keywords of {@link #SUPPORTED} and annotations, nested at most {@link #MAX_DEPTH}
     * schemas deep, every pattern compiling and at most {@link #MAX_PATTERN_CHARS} characters, every length and
     * item count a non-negative integer, every required name a string that the schema can accept. Anything else
     * that changes validation ({@code $ref}, {@code anyOf}, {@code nullable}, ...) is refused by name rather
     * than ignored, since ignoring it would let through arguments the tool's author meant to refuse.
     *
     * @return a copy of {@code schema}, which later changes to {@code schema} do not reach
     */
    public static ObjectNode check(JsonNode schema, String field) {
        if (schema == null || !schema.isObject()) {
            throw StepFailure.invalidStep(field, field + " must be a JSON Schema object");
        }
        JsonNode type = schema.get("type");
        if (type == null || !type.isTextual() || !type.textValue().equals("object")) {
            throw StepFailure.invalidStep(field + ".type",
                    field + " must have \"type\": \"object\": a tool takes its arguments as one JSON object");
        }
        checkSchema(schema, field, 1);
        return ((ObjectNode) schema).deepCopy();
    }

    /**
     * The schema of a tool without {@code parameters}: each of {@code variableNames} (root names, in this order) a
     * required string, unless {@code defaults} holds it: then optional, typed like its default (none for a null
     * default; a default object's fields are free) and carrying it as {@code default}. No other field is accepted.
     */
    public static ObjectNode derive(List<String> variableNames, ObjectNode defaults) {
        ObjectNode properties = NODES.objectNode();
        ArrayNode required = NODES.arrayNode();
        for (String name : new LinkedHashSet<>(variableNames)) {
            JsonNode value = defaults == null ? null : defaults.get(name);
            ObjectNode property = properties.putObject(name);
            if (value == null) {
                property.put("type", "string");
                required.add(name);
                continue;
            }
            if (!value.isNull()) {
                property.put("type", typeOf(value));
            }
            if (value.isObject()) {
                property.put("additionalProperties", true);
            }
            property.set("default", value.deepCopy());
        }
        ObjectNode schema = NODES.objectNode();
        schema.put("type", "object");
        schema.set("properties", properties);
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    private static String typeOf(JsonNode value) {
        if (value.isNumber()) {
            return value.isIntegralNumber() ? "integer" : "number";
        }
        return switch (value.getNodeType()) {
            case OBJECT -> "object";
            case ARRAY -> "array";
            case BOOLEAN -> "boolean";
            default -> "string";
        };
    }

    private static void checkSchema(JsonNode schema, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw StepFailure.invalidStep(path, path + " nests deeper than " + MAX_DEPTH + " schemas");
        }
        if (!schema.isObject()) {
            throw StepFailure.invalidStep(path, path + " must be a schema (a JSON object)");
        }
        Iterator<Map.Entry<String, JsonNode>> keywords = schema.fields();
        while (keywords.hasNext()) {
            Map.Entry<String, JsonNode> keyword = keywords.next();
            checkKeyword(keyword.getKey(), keyword.getValue(), path + "." + keyword.getKey(), depth);
        }
        checkRequiredAcceptable(schema, path);
        checkOrdered(schema, "minLength", "maxLength", path);
        checkOrdered(schema, "minItems", "maxItems", path);
        checkOrdered(schema, "minimum", "maximum", path);
    }

    private static void checkKeyword(String keyword, JsonNode value, String path, int depth) {
        switch (keyword) {
            case "type" -> checkType(value, path);
            case "properties" -> {
                require(value.isObject(), path, "must be an object of schemas, one per field");
                Iterator<Map.Entry<String, JsonNode>> properties = value.fields();
                while (properties.hasNext()) {
                    Map.Entry<String, JsonNode> property = properties.next();
                    checkSchema(property.getValue(), path + "." + property.getKey(), depth + 1);
                }
            }
            case "required" -> {
                require(value.isArray(), path, "must be an array of field names");
                value.forEach(name -> require(name.isTextual(), path, "must hold field names (strings) only"));
            }
            case "additionalProperties" -> {
                if (!value.isBoolean()) {
                    checkSchema(value, path, depth + 1);
                }
            }
            case "items" -> {
                require(!value.isArray(), path, "must be one schema (tuple items are not supported)");
                checkSchema(value, path, depth + 1);
            }
            case "enum" -> {
                require(value.isArray() && !value.isEmpty(), path, "must be a non-empty array of the allowed values");
                checkValue(value, path);
            }
            case "const", "default" -> checkValue(value, path);
            case "examples" -> {
                require(value.isArray(), path, "must be an array of example values");
                checkValue(value, path);
            }
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" ->
                    require(value.isNumber() && JsonShape.decimal(value) != null, path, "must be a number");
            case "minLength", "maxLength", "minItems", "maxItems" -> require(isCount(value), path,
                    "must be a non-negative integer of at most " + Integer.MAX_VALUE);
            case "pattern" -> checkPattern(value, path);
            case "format", "description", "title", "$schema", "$id", "$comment" ->
                    require(value.isTextual(), path, "must be a string");
            case "readOnly", "writeOnly", "deprecated" -> require(value.isBoolean(), path, "must be true or false");
            default -> require(keyword.startsWith("x-") || ANNOTATIONS.contains(keyword), path,
                    "is not supported: tool parameters take only " + String.join(", ", SUPPORTED)
                            + " and annotations" + (keyword.equals("nullable") ? " (for a nullable field use \"type\": [\"string\", \"null\"])" : ""));
        }
    }

    private static void checkType(JsonNode value, String path) {
        if (value.isTextual()) {
            require(TYPES.contains(value.textValue()), path, "must be one of " + String.join(", ", TYPES.stream().sorted().toList()));
            return;
        }
        require(value.isArray() && !value.isEmpty(), path, "must be a type name or a non-empty array of type names");
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode type : value) {
            require(type.isTextual() && TYPES.contains(type.textValue()), path,
                    "must hold type names only: " + String.join(", ", TYPES.stream().sorted().toList()));
            require(seen.add(type.textValue()), path, "names the type " + type.textValue() + " twice");
        }
    }

    private static void checkPattern(JsonNode value, String path) {
        require(value.isTextual(), path, "must be a string");
        require(value.textValue().length() <= MAX_PATTERN_CHARS, path, "must be at most " + MAX_PATTERN_CHARS + " characters long");
        try {
            Pattern.compile(value.textValue());
        } catch (PatternSyntaxException | StackOverflowError invalid) {
            String why = invalid instanceof PatternSyntaxException syntax
                    ? syntax.getDescription() + " near index " + syntax.getIndex() : "it nests too deeply";
            throw StepFailure.invalidStep(path, path + " is not a valid regular expression: " + why);
        }
    }

    /** A value in the schema ({@code enum}, {@code const}, ...): compared with arguments by recursion, so bounded. */
    private static void checkValue(JsonNode value, String path) {
        require(JsonShape.measure(value, MAX_DEPTH, Long.MAX_VALUE).depth() <= MAX_DEPTH, path,
                "nests deeper than " + MAX_DEPTH + " levels");
    }

    /** A required name no field can satisfy is a mistake in the tool, not in a model's call: refused here. */
    private static void checkRequiredAcceptable(JsonNode schema, String path) {
        JsonNode required = schema.get("required");
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        if (required == null || (additional != null && !additional.equals(NODES.booleanNode(false)))) {
            return;
        }
        for (JsonNode name : required) {
            require(properties != null && properties.has(name.textValue()), path + ".required",
                    "names " + name.textValue() + ", which is not among the properties and no other field is accepted");
        }
    }

    private static void checkOrdered(JsonNode schema, String lower, String upper, String path) {
        JsonNode least = schema.get(lower);
        JsonNode most = schema.get(upper);
        if (least != null && most != null) {
            require(least.decimalValue().compareTo(most.decimalValue()) <= 0, path + "." + lower,
                    "is more than " + upper + ": no value could satisfy both");
        }
    }

    private static boolean isCount(JsonNode value) {
        if (!value.isNumber() || !JsonShape.isInteger(value)) {
            return false;
        }
        BigDecimal count = value.decimalValue();
        return count.signum() >= 0 && count.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0;
    }

    private static void require(boolean holds, String path, String rule) {
        if (!holds) {
            throw StepFailure.invalidStep(path, path + " " + rule);
        }
    }
}
