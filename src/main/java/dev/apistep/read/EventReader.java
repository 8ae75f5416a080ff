package dev.apistep.read;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Typed reads from the loose event tree. Every failure names the field by its path in the event
 * ({@code step.options.timeoutMs}) and uses the code of the part it belongs to.
 */
final class EventReader {

    private final ErrorCode code;

    private EventReader(ErrorCode code) {
        this.code = code;
    }

    static final EventReader EVENT = new EventReader(ErrorCode.INVALID_EVENT);
    static final EventReader STEP = new EventReader(ErrorCode.INVALID_STEP);

    StepFailure fail(String field, String problem) {
        return new StepFailure(code, field, field + " " + problem);
    }

    static boolean absent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    JsonNode object(JsonNode node, String field) {
        if (!node.isObject()) {
            throw fail(field, "must be an object");
        }
        return node;
    }

    String string(JsonNode node, String field, String fallback) {
        if (absent(node)) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw fail(field, "must be a string");
        }
        return node.textValue();
    }

    String requiredString(JsonNode node, String field) {
        String value = string(node, field, null);
        if (value == null || value.isBlank()) {
            throw fail(field, "is required");
        }
        return value;
    }

    /** A scalar as the text a template holds: strings as they are, numbers and booleans as written. */
    String scalarText(JsonNode node, String field) {
        if (absent(node)) {
            return "";
        }
        if (!node.isValueNode()) {
            throw fail(field, "must be a string, number or boolean");
        }
        return node.asText();
    }

    boolean bool(JsonNode node, String field, boolean fallback) {
        if (absent(node)) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw fail(field, "must be true or false");
        }
        return node.booleanValue();
    }

    long integer(JsonNode node, String field, long fallback, long min, long max) {
        if (absent(node)) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw fail(field, "must be a whole number");
        }
        long value = node.longValue();
        if (value < min || value > max) {
            throw fail(field, "must be between " + min + " and " + max);
        }
        return value;
    }

    <E extends Enum<E>> E choice(JsonNode node, String field, Class<E> type, E fallback) {
        String text = string(node, field, null);
        if (text == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw fail(field, "must be one of " + names(type));
        }
    }

    List<String> strings(JsonNode node, String field) {
        if (absent(node)) {
            return List.of();
        }
        if (!node.isArray()) {
            throw fail(field, "must be a list of strings");
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            values.add(requiredString(node.get(i), field + "[" + i + "]"));
        }
        return values;
    }

    /**
     * Headers, query parameters and fields: a list of {@code {name, value}} (order and duplicates kept) or
     * an object (a list value gives one entry per element).
     */
    List<NameValue> nameValues(JsonNode node, String field) {
        List<NameValue> entries = new ArrayList<>();
        if (absent(node)) {
            return entries;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String at = field + "[" + i + "]";
                JsonNode entry = object(node.get(i), at);
                entries.add(new NameValue(string(entry.get("name"), at + ".name", ""),
                        scalarText(entry.get("value"), at + ".value")));
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(entry -> {
                String at = field + "." + entry.getKey();
                if (entry.getValue().isArray()) {
                    for (JsonNode element : entry.getValue()) {
                        entries.add(new NameValue(entry.getKey(), scalarText(element, at)));
                    }
                } else {
                    entries.add(new NameValue(entry.getKey(), scalarText(entry.getValue(), at)));
                }
            });
        } else {
            throw fail(field, "must be a list of {name, value} or an object");
        }
        return entries;
    }

    private static <E extends Enum<E>> String names(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        return String.join(", ", names);
    }
}
