package dev.apistep.tool;

import static dev.apistep.tool.ArgumentValidatorTest.field;
import static dev.apistep.tool.ArgumentValidatorTest.refusal;
import static dev.apistep.tool.ArgumentValidatorTest.schema;
import static dev.apistep.tool.ArgumentValidatorTest.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.Deadline;
import dev.apistep.core.StepError;
import dev.apistep.core.StepFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * Arguments made to hurt: huge, deep, wide, or built to make a pattern backtrack. Each is refused with
 * INVALID_ARGUMENTS and a message naming the limit, and never hangs or overflows the stack. The timeout is only
 * a safety net, far above what each takes, on its own thread: a runaway match cannot be interrupted.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileArgumentsTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectNode ANY_TEXT = field("{\"type\": \"string\"}");

    private static ObjectNode withX(JsonNode value) {
        ObjectNode arguments = NODES.objectNode();
        arguments.set("x", value);
        return arguments;
    }

    @Test
    void aOneMegabyteStringIsRefusedNamingTheLimit() {
        StepError error = refusal(ANY_TEXT, withX(NODES.textNode("a".repeat(1024 * 1024))));
        assertEquals("arguments", error.reason());
        assertEquals("the arguments are larger than 262144 bytes written as JSON, the limit for a tool call", error.message());
    }

    @Test
    void argumentsJustOverTheLimitInEscapesAreRefusedByTheirWrittenSize() {
        // 40,000 control characters: 40,000 chars, but 240,000 bytes written as \\u0001 escapes, then some.
        StepError error = refusal(field("{\"type\": \"string\", \"maxLength\": 100000}"),
                withX(NODES.textNode("\u0001".repeat(44_000))));
        assertTrue(error.message().contains("larger than 262144 bytes"), error.message());
        assertEquals(NODES.textNode("\u0001".repeat(43_000)),
                ArgumentValidator.validate(field("{\"type\": \"string\", \"maxLength\": 100000}"),
                        withX(NODES.textNode("\u0001".repeat(43_000))), Deadline.afterMillis(5_000)).get("x"));
    }

    @Test
    void tenThousandLevelsOfNestingAreRefusedWithoutRecursion() {
        for (boolean arrays : new boolean[] {true, false}) {
            JsonNode deep = NODES.textNode("leaf");
            for (int level = 0; level < 10_000; level++) {
                deep = arrays ? NODES.arrayNode().add(deep) : NODES.objectNode().set("a", deep);
            }
            StepError error = refusal(field("{}"), withX(deep));
            assertEquals("the arguments nest deeper than 32 levels, the limit for a tool call", error.message());
        }
    }

    @Test
    void thirtyTwoLevelsAreAcceptedAndThirtyThreeAreNot() {
        String deepest = "{\"x\": " + "[".repeat(31) + "]".repeat(31) + "}";
        assertEquals(ParameterSchemaTest.json(deepest), valid(field("{}"), deepest));
        StepError error = refusal(field("{}"), "{\"x\": " + "[".repeat(32) + "]".repeat(32) + "}");
        assertTrue(error.message().contains("deeper than 32"), error.message());
    }

    @Test
    void aHundredThousandFieldsAreRefusedBySize() {
        ObjectNode arguments = NODES.objectNode();
        for (int i = 0; i < 100_000; i++) {
            arguments.put("field" + i, i);
        }
        assertTrue(refusal(ANY_TEXT, arguments).message().contains("larger than 262144 bytes"));
    }

    @Test
    void fifteenThousandUnknownFieldsWithinTheSizeGiveFiveProblems() {
        ObjectNode arguments = NODES.objectNode();
        for (int i = 0; i < 15_000; i++) {
            arguments.put("f" + i, i);
        }
        StepError error = refusal(ANY_TEXT, arguments);
        assertEquals("arguments.f0", error.reason());
        assertEquals(5, error.message().split("; ").length, error.message());
    }

    @Test
    void aStringWithoutItsOwnMaxLengthIsCappedWherever() {
        assertEquals(16_384, valid(ANY_TEXT, "{\"x\": \"" + "a".repeat(16_384) + "\"}").get("x").textValue().length());
        assertEquals("x must be at most 16384 characters long (the limit for any string)",
                refusal(ANY_TEXT, withX(NODES.textNode("a".repeat(16_385)))).message());
        valid(field("{\"type\": \"string\", \"maxLength\": 20000}"), "{\"x\": \"" + "a".repeat(20_000) + "\"}");
        StepError free = refusal(field("{\"type\": \"object\", \"additionalProperties\": true}"),
                withX(NODES.objectNode().set("deep", NODES.arrayNode().add("a".repeat(16_385)))));
        assertEquals("arguments.x.deep", free.reason());
        assertEquals("x.deep holds a string longer than 16384 characters (the limit for any string)", free.message());
    }

    @Test
    void aRunawayPatternGivesUpInsteadOfHanging() {
        ObjectNode schema = field("{\"type\": \"string\", \"pattern\": \"^(a+)+$\", \"maxLength\": 40000}");
        long started = System.nanoTime();
        StepError error = refusal(schema, withX(NODES.textNode("a".repeat(30_000) + "!")));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals("arguments.x", error.reason());
        assertEquals("x could not be checked against its pattern ^(a+)+$ (too costly to match): give a shorter or simpler value",
                error.message());
        System.out.println("runaway pattern refused in " + tookMs + " ms");
        assertEquals("a".repeat(20), valid(schema, "{\"x\": \"" + "a".repeat(20) + "\"}").get("x").textValue());
    }

    @Test
    void anExponentialPatternGivesUpToo() {
        StepError error = refusal(field("{\"type\": \"string\", \"pattern\": \"(.*a){25}b\"}"),
                withX(NODES.textNode("a".repeat(40))));
        assertTrue(error.message().startsWith("x could not be checked against its pattern (.*a){25}b"), error.message());
    }

    @Test
    void theReadsBudgetIsSharedByAllOfACallsPatterns() {
        ObjectNode schema = field("{\"type\": \"array\", \"items\": {\"type\": \"string\", \"pattern\": \"((a+)+)+b\"}}");
        ArrayNode values = NODES.arrayNode();
        for (int i = 0; i < 5_000; i++) {
            values.add("a".repeat(24) + "!"); // 150 million reads each, unbounded
        }
        StepError error = refusal(schema, withX(values));
        assertEquals(5, error.message().split("; ").length);
        assertTrue(error.message().startsWith("x[0] could not be checked against its pattern"), error.message());
    }

    @Test
    void aPatternGivesUpAtTheDeadline() {
        ObjectNode schema = field("{\"type\": \"string\", \"pattern\": \"b\"}");
        // Short enough to be measured in one chunk even past the deadline (see JsonSize), long enough to read past it.
        ObjectNode arguments = withX(NODES.textNode("a".repeat(5_000) + "b"));
        assertEquals(arguments, ArgumentValidator.validate(schema, arguments, Deadline.afterMillis(5_000)));
        StepFailure late = assertThrows(StepFailure.class,
                () -> ArgumentValidator.validate(schema, arguments, Deadline.afterMillis(0)));
        assertTrue(late.getMessage().startsWith("x could not be checked against its pattern b"), late.getMessage());
    }

    @Test
    /** Java's matcher recurses once per repetition of a group: 8,000 of them overflow a default thread stack. */
    void aPatternThatWouldOverflowTheStackGivesUp() {
        ObjectNode schema = field("{\"type\": \"string\", \"pattern\": \"^(a|b)*c\"}");
        StepError error = refusal(schema, withX(NODES.textNode("ab".repeat(8_000))));
        assertTrue(error.message().startsWith("x could not be checked against its pattern"), error.message());
    }

    @Test
    void placeholdersAndSecretReferencesAreTextNotTemplates() {
        ObjectNode schema = schema("""
                {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string", "pattern": "^\\\\{"}}}""");
        ObjectNode arguments = (ObjectNode) ParameterSchemaTest.json("{\"a\": \"{secret:DB_PASSWORD}\", \"b\": \"{order_id}\"}");
        assertEquals(arguments, ArgumentValidator.validate(schema, arguments, Deadline.afterMillis(5_000)));
    }

    @Test
    void everyWrongTypeIsRefusedNeverFailsOtherwise() {
        JsonNode[] values = {NODES.textNode("s"), NODES.numberNode(1), NODES.numberNode(1.5), NODES.booleanNode(true),
            NODES.nullNode(), NODES.arrayNode(), NODES.objectNode(), NODES.numberNode(Double.NaN)};
        for (String type : ParameterSchema.TYPES) {
            ObjectNode schema = field("{\"type\": \"" + type + "\"}");
            for (JsonNode value : values) {
                Executable call = () -> ArgumentValidator.validate(schema, withX(value), Deadline.afterMillis(5_000));
                try {
                    call.execute();
                } catch (StepFailure refused) {
                    assertTrue(refused.getMessage().startsWith("x must be "), refused.getMessage());
                } catch (Throwable other) {
                    throw new AssertionError(type + " / " + value, other);
                }
            }
        }
    }
}
