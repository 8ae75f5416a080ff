package dev.apistep.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;

/** A call's arguments as JSON: an object as sent, or the JSON text OpenAI sends, read within the arguments' cap. */
public final class ToolArguments {

    private ToolArguments() {
    }

    public static JsonNode parse(JsonNode arguments, ObjectMapper mapper) {
        if (arguments == null || arguments.isMissingNode() || arguments.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!arguments.isTextual()) {
            return arguments;
        }
        String text = arguments.textValue();
        if (text.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (text.length() > ParameterSchema.MAX_ARGUMENTS_BYTES) {
            throw new StepFailure(ErrorCode.INVALID_ARGUMENTS, "arguments",
                    "arguments are longer than " + ParameterSchema.MAX_ARGUMENTS_BYTES + " characters");
        }
        try {
            // Text after the object ("{} trailing") is not one JSON value: refused, not cut off.
            JsonNode parsed = mapper.readerFor(JsonNode.class)
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(text);
            return parsed == null ? JsonNodeFactory.instance.objectNode() : parsed;
        } catch (JsonProcessingException notJson) {
            throw new StepFailure(ErrorCode.INVALID_ARGUMENTS, "arguments",
                    "arguments must be a JSON object; the text given is not JSON");
        }
    }
}
