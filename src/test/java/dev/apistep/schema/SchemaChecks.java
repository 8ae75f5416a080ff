package dev.apistep.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import dev.apistep.core.StepFailure;
import dev.apistep.read.StateFields;
import dev.apistep.read.StepEventParser;
import dev.apistep.step.Mode;
import dev.apistep.step.StepEvent;
import java.util.List;

/**
 * One check for every event a test sends: the event schema and the parser agree on it (valid for the schema exactly
 * when the parser accepts it, and when it does not the schema names the field the parser names), and what the
 * function answers is valid for the result schema.
 */
final class SchemaChecks {

    static final JsonSchema EVENT = StepSchemas.load(StepSchemas.EVENT);
    static final JsonSchema RESULT = StepSchemas.load(StepSchemas.RESULT);

    private SchemaChecks() {
    }

    static JsonNode runChecked(PlainPipeline pipeline, JsonNode event) {
        JsonNode result = pipeline.run(event);
        assertValidResult(result);
        List<String> fields = StepSchemas.errorFields(EVENT, event);
        String reason = parserRefusal(event);
        if (reason != null) {
            assertFalse(fields.isEmpty(), "the parser refuses the event at " + reason + " but the event schema accepts it: "
                    + event);
            assertTrue(fields.stream().anyMatch(field -> onPath(field, reason)),
                    "the parser refuses " + reason + ", the schema " + fields + StepSchemas.describe(EVENT, event));
        } else {
            assertEquals(List.of(), fields, "the parser accepts the event (" + result + ") but the event schema does not:"
                    + StepSchemas.describe(EVENT, event) + "\n" + event);
        }
        return result;
    }

    /**
     * The field the parser refuses (the reading the function does before any other stage), or null when it accepts
     * the event. Later stages refuse more (a Host header, a variable in the URL's host): the schema does not claim to.
     */
    static String parserRefusal(JsonNode event) {
        try {
            if (StateFields.isHistory(event)) {
                StateFields.history(event);
            } else {
                StepEvent parsed = new StepEventParser().parse(event);
                if (parsed.mode() == Mode.RUN) {
                    // Read after the step, and only where it is used (StepPipeline.remember).
                    StateFields.idempotencyKey(event);
                }
            }
            return null;
        } catch (StepFailure refused) {
            return refused.error().reason();
        }
    }

    static void assertValidResult(JsonNode result) {
        assertEquals(List.of(), StepSchemas.errorFields(RESULT, result),
                "a result the function wrote is not valid for the result schema:" + StepSchemas.describe(RESULT, result)
                        + "\n" + result);
    }

    /** Whether one path is the other or lies inside it ({@code step.auth} and {@code step.auth.token}). */
    static boolean onPath(String a, String b) {
        return a.equals(b) || inside(a, b) || inside(b, a);
    }

    private static boolean inside(String inner, String outer) {
        return outer.isEmpty() || inner.startsWith(outer) && (inner.charAt(outer.length()) == '.'
                || inner.charAt(outer.length()) == '[');
    }
}
