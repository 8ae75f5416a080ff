package dev.apistep.template;

import com.fasterxml.jackson.databind.JsonNode;

/** How a variable's JSON value reads as text wherever text is inserted. */
public final class ValueText {

    private ValueText() {
    }

    /** Strings as they are, numbers exactly as written (never in exponent form), null as empty, JSON otherwise. */
    public static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBigDecimal()) {
            return value.decimalValue().toPlainString();
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        return value.toString();
    }
}
