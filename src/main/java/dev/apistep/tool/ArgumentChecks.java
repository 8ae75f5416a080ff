package dev.apistep.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.Deadline;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.MeteredText;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One validation of arguments against a checked schema: walks the arguments only where the schema goes (so its
 * recursion is bounded by the schema's depth), replaces numeric strings by their numbers in place, and collects up
 * to {@link #MAX_PROBLEMS} problems. See {@link ArgumentValidator} for the rules.
 */
final class ArgumentChecks {

    static final int MAX_PROBLEMS = 5;
    /** A string without its own maxLength, at most: what a model sends as one value, with room to spare. */
    static final int MAX_STRING_CHARS = 16_384;
    /** Characters all of one call's patterns may read: linear patterns over the largest arguments need far fewer. */
    static final long MAX_PATTERN_READS = 2_000_000;
    /** How much of a value, a name or a listing a message quotes, at most. */
    private static final int QUOTED_CHARS = 40;
    private static final int LISTED_CHARS = 200;
    private static final Pattern NUMBER_LITERAL = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");
    private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");
    private static final ObjectMapper JSON = LosslessJson.newMapper();

    /** A problem: where (a path such as {@code items[2].sku}, empty for the arguments themselves) and what, in words. */
    record Problem(String path, String message) {
    }

    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Pattern> patterns = new HashMap<>();
    private final PatternReads reads;

    ArgumentChecks(Deadline deadline) {
        this.reads = new PatternReads(deadline);
    }

    List<Problem> problems() {
        return problems;
    }

    /** Checks {@code value} at {@code path}; the value to keep there (a number for a numeric string), or the same. */
    JsonNode check(JsonNode schema, JsonNode value, String path) {
        if (problems.size() >= MAX_PROBLEMS) {
            return value;
        }
        Set<String> types = types(schema);
        JsonNode checked = coerced(types, value);
        if (!types.isEmpty() && types.stream().noneMatch(type -> hasType(checked, type))) {
            problem(path, "must be " + typeWords(types) + ", got " + kind(checked, types));
            return checked;
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && !contains(allowed, checked)) {
            problem(path, "must be one of " + listing(allowed));
        }
        JsonNode only = schema.get("const");
        if (only != null && !JsonShape.sameValue(only, checked)) {
            problem(path, "must be " + listing(JSON.createArrayNode().add(only)));
        }
        if (checked.isTextual()) {
            string(schema, checked.textValue(), path);
        } else if (checked.isNumber()) {
            number(schema, checked, path);
        } else if (checked.isObject()) {
            object(schema, (ObjectNode) checked, path);
        } else if (checked.isArray()) {
            array(schema, (ArrayNode) checked, path);
        }
        return checked;
    }

    private void object(JsonNode schema, ObjectNode value, String path) {
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean objectRules = types(schema).contains("object") || properties != null || additional != null
                || schema.has("required");
        if (!objectRules) {
            free(value, path);
            return;
        }
        for (JsonNode name : schema.path("required")) {
            if (!value.has(name.textValue())) {
                problem(child(path, name.textValue()), "is required");
            }
        }
        Map<String, JsonNode> replaced = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext() && problems.size() < MAX_PROBLEMS) {
            Map.Entry<String, JsonNode> field = fields.next();
            String at = child(path, field.getKey());
            JsonNode declared = properties == null ? null : properties.get(field.getKey());
            JsonNode fieldSchema = declared != null ? declared : additional != null && additional.isObject() ? additional : null;
            if (fieldSchema != null) {
                JsonNode kept = check(fieldSchema, field.getValue(), at);
                if (kept != field.getValue()) {
                    replaced.put(field.getKey(), kept);
                }
            } else if (additional != null ? additional.asBoolean(false) : properties == null) {
                // additionalProperties true, or an object that declares no properties at all: free-form.
                free(field.getValue(), at);
            } else {
                unexpected(field.getKey(), properties, path);
            }
        }
        replaced.forEach(value::set);
    }

    private void unexpected(String name, JsonNode properties, String path) {
        List<String> names = new ArrayList<>();
        if (properties != null) {
            properties.fieldNames().forEachRemaining(names::add);
        }
        String accepter = path.isEmpty() ? "this tool" : path;
        String accepted = names.isEmpty() ? "no fields" : cut(String.join(", ", names), LISTED_CHARS);
        problems.add(new Problem(child(path, name), "unexpected field " + quoted(name) + (path.isEmpty() ? "" : " in " + path)
                + ": " + accepter + " accepts " + accepted));
    }

    private void array(JsonNode schema, ArrayNode value, String path) {
        JsonNode least = schema.get("minItems");
        if (least != null && value.size() < least.intValue()) {
            problem(path, "must have at least " + least.intValue() + " item" + (least.intValue() == 1 ? "" : "s"));
        }
        JsonNode most = schema.get("maxItems");
        if (most != null && value.size() > most.intValue()) {
            problem(path, "must have at most " + most.intValue() + " item" + (most.intValue() == 1 ? "" : "s"));
        }
        JsonNode items = schema.get("items");
        for (int i = 0; i < value.size() && problems.size() < MAX_PROBLEMS; i++) {
            String at = path + "[" + i + "]";
            if (items == null) {
                free(value.get(i), at);
            } else {
                JsonNode kept = check(items, value.get(i), at);
                if (kept != value.get(i)) {
                    value.set(i, kept);
                }
            }
        }
    }

    private void string(JsonNode schema, String text, String path) {
        int length = text.codePointCount(0, text.length());
        JsonNode most = schema.get("maxLength");
        if (most != null ? length > most.intValue() : length > MAX_STRING_CHARS) {
            int limit = most != null ? most.intValue() : MAX_STRING_CHARS;
            problem(path, "must be at most " + limit + " characters long" + (most != null ? "" : " (the limit for any string)"));
            return;
        }
        JsonNode least = schema.get("minLength");
        if (least != null && length < least.intValue()) {
            problem(path, "must be at least " + least.intValue() + " character" + (least.intValue() == 1 ? "" : "s") + " long");
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null) {
            matchPattern(pattern.textValue(), text, path);
        }
        JsonNode format = schema.get("format");
        String shape = format == null ? null : Formats.violated(format.textValue(), text);
        if (shape != null) {
            problem(path, "must be " + shape);
        }
    }

    /**
     * JSON Schema's patterns are unanchored ({@code find}); the input is read through {@link MeteredText}, so a
     * pattern that backtracks without end gives up within the call's reads or at the deadline, never hangs.
     */
    private void matchPattern(String source, String text, String path) {
        Pattern pattern = patterns.computeIfAbsent(source, Pattern::compile);
        try {
            if (!pattern.matcher(new MeteredText(text, reads)).find()) {
                problem(path, "must match the pattern " + source);
            }
        } catch (PatternReads.Spent | StackOverflowError tooCostly) {
            problem(path, "could not be checked against its pattern " + source + " (too costly to match): give a shorter or simpler value");
        }
    }

    private void number(JsonNode schema, JsonNode value, String path) {
        BigDecimal number = JsonShape.decimal(value);
        bound(schema, "minimum", number, path, sign -> sign >= 0, "at least");
        bound(schema, "maximum", number, path, sign -> sign <= 0, "at most");
        bound(schema, "exclusiveMinimum", number, path, sign -> sign > 0, "greater than");
        bound(schema, "exclusiveMaximum", number, path, sign -> sign < 0, "less than");
    }

    private void bound(JsonNode schema, String keyword, BigDecimal number, String path,
            java.util.function.IntPredicate holds, String words) {
        JsonNode bound = schema.get(keyword);
        if (bound != null && !holds.test(number.compareTo(bound.decimalValue()))) {
            problem(path, "must be " + words + " " + bound.asText());
        }
    }

    /** A value the schema says nothing more about: kept as it is, its strings still bounded. */
    private void free(JsonNode value, String path) {
        List<JsonNode> pending = new ArrayList<>(List.of(value));
        while (!pending.isEmpty()) {
            JsonNode node = pending.remove(pending.size() - 1);
            if (node.isTextual() && node.textValue().length() > MAX_STRING_CHARS
                    && node.textValue().codePointCount(0, node.textValue().length()) > MAX_STRING_CHARS) {
                problem(path, "holds a string longer than " + MAX_STRING_CHARS + " characters (the limit for any string)");
                return;
            }
            node.forEach(pending::add);
        }
    }

    /** A numeric string ("3", "-1.50") where only a number may be: the exact number, as the JSON reader gives it. */
    private static JsonNode coerced(Set<String> types, JsonNode value) {
        if (!value.isTextual() || types.contains("string") || !(types.contains("number") || types.contains("integer"))
                || value.textValue().length() > LosslessJson.MAX_NUMBER_LENGTH
                || !NUMBER_LITERAL.matcher(value.textValue()).matches()) {
            return value;
        }
        try {
            return JSON.readTree(value.textValue());
        } catch (IOException | RuntimeException unreadable) {
            return value;
        }
    }

    private static Set<String> types(JsonNode schema) {
        JsonNode type = schema.get("type");
        Set<String> types = new LinkedHashSet<>();
        if (type != null && type.isTextual()) {
            types.add(type.textValue());
        } else if (type != null) {
            type.forEach(name -> types.add(name.textValue()));
        }
        return types;
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "number" -> value.isNumber() && JsonShape.decimal(value) != null;
            case "integer" -> value.isNumber() && JsonShape.isInteger(value);
            case "boolean" -> value.isBoolean();
            default -> value.isNull();
        };
    }

    private static String typeWords(Set<String> types) {
        List<String> words = types.stream().map(ArgumentChecks::withArticle).toList();
        return words.size() == 1 ? words.get(0)
                : String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }

    private static String withArticle(String type) {
        return switch (type) {
            case "null" -> "null";
            case "object", "array", "integer" -> "an " + type;
            default -> "a " + type;
        };
    }

    /** What a value is, for "got ...": a fractional number where an integer was wanted is shown (briefly). */
    private static String kind(JsonNode value, Set<String> types) {
        if (value.isNumber() && types.contains("integer")) {
            return cut(value.asText(), QUOTED_CHARS);
        }
        return switch (value.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "null";
        };
    }

    private static boolean contains(JsonNode allowed, JsonNode value) {
        for (JsonNode candidate : allowed) {
            if (JsonShape.sameValue(candidate, value)) {
                return true;
            }
        }
        return false;
    }

    /** The schema's own values as JSON, comma-separated, cut at {@link #LISTED_CHARS}. */
    private static String listing(JsonNode values) {
        List<String> written = new ArrayList<>();
        values.forEach(value -> written.add(LosslessJson.write(JSON, value)));
        return cut(String.join(", ", written), LISTED_CHARS);
    }

    static String child(String path, String name) {
        if (SIMPLE_NAME.matcher(name).matches()) {
            return path.isEmpty() ? name : path + "." + name;
        }
        return path + "[" + quoted(name) + "]";
    }

    /** A name or value from the arguments as a JSON string, at most {@link #QUOTED_CHARS} characters of it. */
    private static String quoted(String text) {
        String shown = text.length() > QUOTED_CHARS ? text.substring(0, QUOTED_CHARS) : text;
        String written = LosslessJson.write(JSON, shown);
        return shown.length() < text.length() ? written.substring(0, written.length() - 1) + "…\"" : written;
    }

    private static String cut(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit) + "…";
    }

    private void problem(String path, String rule) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new Problem(path, (path.isEmpty() ? "the arguments" : path) + " " + rule));
        }
    }

    /** Counts the characters patterns read in one call, failing once {@link #MAX_PATTERN_READS} or the deadline pass. */
    private static final class PatternReads implements Runnable {
        private static final int CHECK_DEADLINE_EVERY = 256;
        private final Deadline deadline;
        private long count;

        PatternReads(Deadline deadline) {
            this.deadline = deadline;
        }

        @Override
        public void run() {
            if (++count > MAX_PATTERN_READS || (count % CHECK_DEADLINE_EVERY == 0 && deadline.expired())) {
                count = MAX_PATTERN_READS + 1;
                throw new Spent();
            }
        }

        static final class Spent extends RuntimeException {
            Spent() {
                super("the patterns' budget is spent", null, false, false);
            }
        }
    }
}
