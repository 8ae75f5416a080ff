package dev.apistep.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.JsonSize;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.StepFailure;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A model's arguments to a tool (contract §8), checked against the tool's {@code parameters} before anything is
 * rendered. Arguments are untrusted input; the rules:
 * <ul>
 * <li>The arguments are a JSON object; absent or null is {@code {}}.</li>
 * <li>Written compactly they take at most {@value ParameterSchema#MAX_ARGUMENTS_BYTES} bytes and nest at most
 *     {@value ParameterSchema#MAX_DEPTH} levels, checked first, without recursion.</li>
 * <li>A field the schema does not declare is refused unless {@code additionalProperties} is {@code true} or a
 *     schema (a made-up field is feedback a model can act on), wherever the schema declares {@code properties} or
 *     says {@code additionalProperties: false}; an object schema that declares no properties ({@code {"type":
 *     "object"}}) is free-form, and a schema without any object keyword accepts any value.</li>
 * <li>A string without its own {@code maxLength} is at most {@value ArgumentChecks#MAX_STRING_CHARS} characters,
 *     wherever it is.</li>
 * <li>A string where only a number or an integer may be, whose text is a plain JSON number ({@code "3"}, {@code
 *     "-1.50"}), is taken as that exact number (models often quote numbers); nothing else is coerced.</li>
 * <li>{@code pattern} is unanchored (found anywhere in the string, as in JSON Schema), with Java's regular
 *     expressions; a match too costly to finish (the call's patterns read at most {@value
 *     ArgumentChecks#MAX_PATTERN_READS} characters, within the step's deadline) is refused as one that could not
 *     be checked.</li>
 * <li>{@code format} date, date-time, time (RFC 3339, with an offset), email, uri (absolute) and uuid are
 *     checked; any other format is a description.</li>
 * <li>Numbers compare exactly ({@code minimum}, {@code enum}: 1 and 1.0 are equal); {@code default}s are not
 *     filled in.</li>
 * <li>Up to {@value ArgumentChecks#MAX_PROBLEMS} problems are reported together, each naming the field's path
 *     and the rule; no message quotes more than 40 characters of an argument.</li>
 * </ul>
 */
public final class ArgumentValidator {

    private static final ObjectMapper JSON = LosslessJson.newMapper();
    private static final ObjectWriter COMPACT = JSON.writer();

    private ArgumentValidator() {
    }

    /**
     * The variables {@code arguments} bind, numeric strings replaced by their numbers, if they satisfy {@code schema}
     * (one that passed {@link ParameterSchema#check}); else {@code INVALID_ARGUMENTS}, its reason the first
     * problem's field ({@code arguments.order_id}) and its message the problems joined by "; ".
     */
    public static ObjectNode validate(ObjectNode schema, JsonNode arguments, Deadline deadline) {
        JsonNode given = arguments == null || arguments.isNull() || arguments.isMissingNode() ? JSON.createObjectNode() : arguments;
        if (!given.isObject()) {
            throw failure("", "the arguments must be a JSON object, got " + (given.isArray() ? "an array" : "a " + given.getNodeType().name().toLowerCase()));
        }
        requireWithinLimits(given, deadline);
        ObjectNode variables = ((ObjectNode) given).deepCopy();
        ArgumentChecks checks = new ArgumentChecks(deadline);
        checks.check(schema, variables, "");
        List<ArgumentChecks.Problem> problems = checks.problems();
        if (!problems.isEmpty()) {
            throw failure(problems.get(0).path(),
                    problems.stream().map(ArgumentChecks.Problem::message).collect(Collectors.joining("; ")));
        }
        return variables;
    }

    /** Depth first, walked without recursion: Jackson's own writer, which measures the size, recurses. */
    private static void requireWithinLimits(JsonNode arguments, Deadline deadline) {
        String tooLarge = "the arguments are larger than " + ParameterSchema.MAX_ARGUMENTS_BYTES
                + " bytes written as JSON, the limit for a tool call";
        JsonShape.Extent extent = JsonShape.measure(arguments, ParameterSchema.MAX_DEPTH, ParameterSchema.MAX_ARGUMENTS_BYTES);
        if (extent.depth() > ParameterSchema.MAX_DEPTH) {
            throw failure("", "the arguments nest deeper than " + ParameterSchema.MAX_DEPTH + " levels, the limit for a tool call");
        }
        if (extent.minBytes() > ParameterSchema.MAX_ARGUMENTS_BYTES) {
            throw failure("", tooLarge);
        }
        try {
            if (JsonSize.upTo(COMPACT, arguments, ParameterSchema.MAX_ARGUMENTS_BYTES, deadline) > ParameterSchema.MAX_ARGUMENTS_BYTES) {
                throw failure("", tooLarge);
            }
        } catch (JsonSize.Late late) {
            throw failure("", "the arguments could not be checked before the step's deadline");
        }
    }

    private static StepFailure failure(String path, String message) {
        String field = path.isEmpty() ? "arguments" : path.startsWith("[") ? "arguments" + path : "arguments." + path;
        return new StepFailure(ErrorCode.INVALID_ARGUMENTS, field, message);
    }
}
