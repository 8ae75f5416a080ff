package dev.apistep.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;

/** STUB (lead's local stand-in until the helper's version lands). */
public final class ArgumentValidator {
    public static ObjectNode validate(ObjectNode schema, JsonNode arguments, dev.apistep.core.Deadline deadline) {
        if (arguments == null || arguments.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!arguments.isObject()) {
            throw new StepFailure(ErrorCode.INVALID_ARGUMENTS, "arguments", "arguments must be an object");
        }
        var it = arguments.fieldNames();
        while (it.hasNext()) {
            String n = it.next();
            if (!schema.path("properties").has(n)) {
                throw new StepFailure(ErrorCode.INVALID_ARGUMENTS, "arguments." + n, "unexpected field \"" + n + "\"");
            }
        }
        for (JsonNode r : schema.path("required")) {
            if (!arguments.has(r.asText())) {
                throw new StepFailure(ErrorCode.INVALID_ARGUMENTS, "arguments." + r.asText(), r.asText() + " is required");
            }
        }
        return ((ObjectNode) arguments).deepCopy();
    }
}
