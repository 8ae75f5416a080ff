package dev.apistep.tool;

import static dev.apistep.tool.ParameterSchemaTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepError;
import dev.apistep.core.StepFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each keyword of the subset, passing and failing, with the messages a model reads to correct its call. */
class ArgumentValidatorTest {

    static final String FIELD = "step.tool.parameters";

    static ObjectNode schema(String text) {
        return ParameterSchema.check(json(text), FIELD);
    }

    /** A schema of one field, {@code x}, not required. */
    static ObjectNode field(String schema) {
        return schema("{\"type\": \"object\", \"properties\": {\"x\": " + schema + "}}");
    }

    static ObjectNode valid(ObjectNode schema, String arguments) {
        return ArgumentValidator.validate(schema, json(arguments), Deadline.afterMillis(5_000));
    }

    static StepError refusal(ObjectNode schema, JsonNode arguments) {
        StepFailure failure = assertThrows(StepFailure.class,
                () -> ArgumentValidator.validate(schema, arguments, Deadline.afterMillis(5_000)));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, failure.error().code());
        return failure.error();
    }

    static StepError refusal(ObjectNode schema, String arguments) {
        return refusal(schema, json(arguments));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\": \"string\"}|\"a\"",
        "{\"type\": [\"string\", \"null\"]}|null",
        "{\"type\": \"integer\"}|3",
        "{\"type\": \"integer\"}|3.0",
        "{\"type\": \"integer\"}|1E+3",
        "{\"type\": \"number\"}|-1.50",
        "{\"type\": \"boolean\"}|false",
        "{\"type\": \"null\"}|null",
        "{\"type\": \"array\"}|[1, \"a\", {}]",
        "{\"type\": \"object\", \"additionalProperties\": true}|{\"a\": [1]}",
        "{}|{\"anything\": [1, 2]}",
        "{\"enum\": [\"en\", \"fr\", 1]}|\"fr\"",
        "{\"enum\": [1, {\"a\": [2]}]}|{\"a\": [2.0]}",
        "{\"const\": 1.0}|1",
        "{\"minimum\": 0, \"maximum\": 10}|10",
        "{\"minimum\": 0, \"maximum\": 10}|0",
        "{\"exclusiveMinimum\": 0, \"exclusiveMaximum\": 10}|9.999999999999999999999999",
        "{\"minimum\": 0.1}|0.10000000000000000000001",
        "{\"minLength\": 2, \"maxLength\": 3}|\"abc\"",
        "{\"maxLength\": 2}|\"\uD83D\uDE00\uD83D\uDE00\"",
        "{\"pattern\": \"[0-9]{2}\"}|\"order 17!\"",
        "{\"pattern\": \"^A-[0-9]{1,8}$\"}|\"A-17\"",
        "{\"minItems\": 1, \"maxItems\": 2}|[1, 2]",
        "{\"items\": {\"type\": \"integer\"}}|[1, 2, 3]",
        "{\"format\": \"date\"}|\"2024-02-29\"",
        "{\"format\": \"date-time\"}|\"2024-05-31T14:30:00.123+02:00\"",
        "{\"format\": \"date-time\"}|\"2016-12-31t23:59:60z\"",
        "{\"format\": \"time\"}|\"14:30:00Z\"",
        "{\"format\": \"email\"}|\"first.last+tag@mail.example.com\"",
        "{\"format\": \"uri\"}|\"https://example.com/a?b=c\"",
        "{\"format\": \"uri\"}|\"urn:isbn:0451450523\"",
        "{\"format\": \"uuid\"}|\"123e4567-e89b-12d3-a456-426614174000\"",
        "{\"format\": \"hostname\"}|\"not checked: an annotation\"",
        "{\"format\": \"date\"}|17",
        "{\"type\": \"string\"}|\"{secret:API_KEY}\"",
        "{\"type\": \"string\"}|\"{other} and {{x}}\""})
    void aValueThatKeepsTheRuleIsReturnedAsItIs(String schema, String value) {
        String arguments = "{\"x\": " + value + "}";
        assertEquals(json(arguments), valid(field(schema), arguments));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\": \"string\"}|3|x must be a string, got a number",
        "{\"type\": \"integer\"}|\"abc\"|x must be an integer, got a string",
        "{\"type\": \"integer\"}|3.5|x must be an integer, got 3.5",
        "{\"type\": \"integer\"}|\"3.5\"|x must be an integer, got 3.5",
        "{\"type\": \"number\"}|\"3 \"|x must be a number, got a string",
        "{\"type\": \"number\"}|\"0x10\"|x must be a number, got a string",
        "{\"type\": \"number\"}|\"1e\"|x must be a number, got a string",
        "{\"type\": \"boolean\"}|\"true\"|x must be a boolean, got a string",
        "{\"type\": [\"string\", \"null\"]}|{}|x must be a string or null, got an object",
        "{\"type\": [\"integer\", \"array\", \"boolean\"]}|null|x must be an integer, an array or a boolean, got null",
        "{\"type\": \"object\"}|[]|x must be an object, got an array",
        "{\"enum\": [\"en\", \"fr\"]}|\"de\"|x must be one of \"en\", \"fr\"",
        "{\"enum\": [1, 2]}|\"1\"|x must be one of 1, 2",
        "{\"const\": \"fast\"}|\"slow\"|x must be \"fast\"",
        "{\"minimum\": 1}|0.99999999999999999999|x must be at least 1",
        "{\"maximum\": 10}|10.000000000000000000001|x must be at most 10",
        "{\"exclusiveMinimum\": 0}|0|x must be greater than 0",
        "{\"exclusiveMaximum\": 1E+400}|1E+400|x must be less than 1E+400",
        "{\"minLength\": 2}|\"a\"|x must be at least 2 characters long",
        "{\"maxLength\": 3}|\"abcd\"|x must be at most 3 characters long",
        "{\"pattern\": \"^A-[0-9]{1,8}$\"}|\"A-123456789\"|x must match the pattern ^A-[0-9]{1,8}$",
        "{\"minItems\": 2}|[1]|x must have at least 2 items",
        "{\"maxItems\": 1}|[1, 2]|x must have at most 1 item",
        "{\"items\": {\"type\": \"string\"}}|[\"a\", 2]|x[1] must be a string, got a number",
        "{\"format\": \"date\"}|\"2024-02-30\"|x must be a date like 2024-05-31 (YYYY-MM-DD)",
        "{\"format\": \"date\"}|\"24-02-01\"|x must be a date like 2024-05-31 (YYYY-MM-DD)",
        "{\"format\": \"date-time\"}|\"2024-05-31 14:30:00Z\"|x must be a date-time like",
        "{\"format\": \"date-time\"}|\"2024-05-31T14:30:00\"|x must be a date-time like",
        "{\"format\": \"date-time\"}|\"2024-05-31T24:00:00Z\"|x must be a date-time like",
        "{\"format\": \"time\"}|\"14:30\"|x must be a time like 14:30:00Z",
        "{\"format\": \"time\"}|\"14:30:00+25:00\"|x must be a time like 14:30:00Z",
        "{\"format\": \"email\"}|\"no-at-sign.example.com\"|x must be an email address",
        "{\"format\": \"email\"}|\"a..b@example.com\"|x must be an email address",
        "{\"format\": \"email\"}|\"a@-example.com\"|x must be an email address",
        "{\"format\": \"uri\"}|\"/relative/path\"|x must be an absolute URI",
        "{\"format\": \"uri\"}|\"https://exa mple.com\"|x must be an absolute URI",
        "{\"format\": \"uuid\"}|\"123e4567-e89b-12d3-a456-42661417400\"|x must be a UUID"})
    void aValueThatBreaksTheRuleIsRefusedInWordsAModelCanActOn(String schema, String value, String message) {
        StepError error = refusal(field(schema), "{\"x\": " + value + "}");
        assertTrue(error.reason().startsWith("arguments.x"), error.reason());
        assertTrue(error.message().startsWith(message), error.message());
    }

    @Test
    void aQuotedNumberBecomesThatExactNumber() {
        ObjectNode schema = schema("""
                {"type": "object", "properties": {"count": {"type": "integer", "maximum": 5}, "price": {"type": "number"},
                 "big": {"type": ["number", "null"]}, "ids": {"type": "array", "items": {"type": "integer"}},
                 "text": {"type": ["string", "number"]}, "flag": {"type": "boolean"}}}""");
        ObjectNode variables = valid(schema,
                "{\"count\": \"3\", \"price\": \"-1.50\", \"big\": \"123456789012345678901234567890\", \"ids\": [\"1\", 2],"
                        + " \"text\": \"7\"}");
        assertEquals(json("{\"count\": 3, \"price\": -1.50, \"big\": 123456789012345678901234567890, \"ids\": [1, 2],"
                + " \"text\": \"7\"}"), variables);
        assertEquals("-1.50", variables.get("price").decimalValue().toString());
        assertEquals("count must be at most 5", refusal(schema, "{\"count\": \"6\"}").message());
        assertEquals("flag must be a boolean, got a string", refusal(schema, "{\"flag\": \"true\"}").message());
    }

    @Test
    void theArgumentsThemselvesMustBeAnObjectAndNullOrAbsentIsEmpty() {
        ObjectNode schema = field("{\"type\": \"string\"}");
        assertEquals(json("{}"), ArgumentValidator.validate(schema, null, Deadline.afterMillis(5_000)));
        assertEquals(json("{}"), valid(schema, "null"));
        StepError error = refusal(schema, "[]");
        assertEquals("arguments", error.reason());
        assertEquals("the arguments must be a JSON object, got an array", error.message());
        assertEquals("the arguments must be a JSON object, got a string", refusal(schema, "\"x\"").message());
    }

    @Test
    void aMissingRequiredFieldIsNamed() {
        ObjectNode schema = schema("""
                {"type": "object", "properties": {"order_id": {"type": "string"}, "address": {"type": "object",
                 "properties": {"city": {"type": "string"}}, "required": ["city"]}}, "required": ["order_id"]}""");
        StepError error = refusal(schema, "{\"address\": {}}");
        assertEquals("arguments.order_id", error.reason());
        assertEquals("order_id is required; address.city is required", error.message());
        assertEquals(json("{}"), valid(schema("{\"type\": \"object\", \"required\": []}"), "{}"));
    }

    @Test
    void anUnknownFieldIsRefusedNamingTheFieldsTheToolAccepts() {
        ObjectNode schema = schema("""
                {"type": "object", "properties": {"order_id": {"type": "string"}, "lang": {"type": "string"},
                 "address": {"type": "object", "properties": {"city": {"type": "string"}}}}}""");
        StepError error = refusal(schema, "{\"order_id\": \"A-1\", \"foo\": 1}");
        assertEquals("arguments.foo", error.reason());
        assertEquals("unexpected field \"foo\": this tool accepts order_id, lang, address", error.message());
        assertEquals("unexpected field \"zip\" in address: address accepts city",
                refusal(schema, "{\"address\": {\"zip\": \"1\"}}").message());
        assertEquals("unexpected field \"a\": this tool accepts no fields",
                refusal(schema("{\"type\": \"object\", \"additionalProperties\": false}"), "{\"a\": 1}").message());
    }

    @Test
    void anObjectThatDeclaresNoPropertiesIsFreeForm() {
        ObjectNode schema = schema("""
                {"type": "object", "properties": {"filters": {"type": "object"}}, "required": ["filters"]}""");
        assertEquals("{\"filters\":{\"color\":\"red\",\"size\":[1,2]}}", ArgumentValidator.validate(schema,
                json("{\"filters\": {\"color\": \"red\", \"size\": [1, 2]}}"), Deadline.afterMillis(5_000)).toString());
    }

    @Test
    void anAdditionalPropertiesSchemaChecksEveryUndeclaredField() {
        ObjectNode schema = schema("""
                {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}}""");
        assertEquals(json("{\"a\": \"x\", \"b\": 2, \"c\": 3}"), valid(schema, "{\"a\": \"x\", \"b\": \"2\", \"c\": 3}"));
        StepError error = refusal(schema, "{\"we ird\": \"x\"}");
        assertEquals("arguments[\"we ird\"]", error.reason());
        assertEquals("[\"we ird\"] must be an integer, got a string", error.message());
    }

    @Test
    void aLongFieldNameIsQuotedOnlyInPart() {
        String name = "n".repeat(100) + "\"\n";
        ObjectNode arguments = (ObjectNode) json("{}");
        arguments.put(name, 1);
        StepError error = refusal(field("{}"), arguments);
        assertEquals("unexpected field \"" + "n".repeat(40) + "…\": this tool accepts x", error.message());
        assertTrue(error.reason().length() < 60, error.reason());
    }

    @Test
    void upToFiveProblemsAreReportedTogetherTheFirstOnesFieldAsTheReason() {
        ObjectNode schema = schema("""
                {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}, "required": ["a"]}""");
        StepError error = refusal(schema, "{\"b\": \"x\", \"c\": 1, \"d\": 2, \"e\": 3, \"f\": 4, \"g\": 5}");
        assertEquals("arguments.a", error.reason());
        assertEquals("a is required; b must be an integer, got a string; unexpected field \"c\": this tool accepts a, b; "
                + "unexpected field \"d\": this tool accepts a, b; unexpected field \"e\": this tool accepts a, b",
                error.message());
    }

    @Test
    void aLongValueIsNeverEchoed() {
        String value = "v".repeat(500);
        StepError error = refusal(field("{\"enum\": [\"a\"], \"pattern\": \"^a$\", \"format\": \"email\"}"),
                "{\"x\": \"" + value + "\"}");
        assertEquals("x must be one of \"a\"; x must match the pattern ^a$; x must be an email address like name@example.com",
                error.message());
    }

    @Test
    void aLongEnumIsListedOnlyInPart() {
        StepError error = refusal(field("{\"enum\": [\"" + "e".repeat(300) + "\"]}"), "{\"x\": \"a\"}");
        assertTrue(error.message().length() < 230 && error.message().endsWith("…"), error.message());
    }

    @Test
    void nestedObjectsAndArraysAreCheckedWithTheirPaths() {
        ObjectNode schema = schema("""
                {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object",
                 "properties": {"sku": {"type": "string", "pattern": "^S[0-9]+$"}, "qty": {"type": "integer", "minimum": 1}},
                 "required": ["sku"]}}}}""");
        assertEquals(json("{\"items\": [{\"sku\": \"S1\", \"qty\": 2}]}"),
                valid(schema, "{\"items\": [{\"sku\": \"S1\", \"qty\": \"2\"}]}"));
        StepError error = refusal(schema, "{\"items\": [{\"sku\": \"S1\"}, {\"sku\": \"X\", \"qty\": 0}, {}]}");
        assertEquals("arguments.items[1].sku", error.reason());
        assertEquals("items[1].sku must match the pattern ^S[0-9]+$; items[1].qty must be at least 1; items[2].sku is required",
                error.message());
    }

    @Test
    void theReturnedVariablesAreACopy() {
        ObjectNode schema = field("{\"type\": \"integer\"}");
        ObjectNode arguments = (ObjectNode) json("{\"x\": \"1\"}");
        ObjectNode variables = ArgumentValidator.validate(schema, arguments, Deadline.afterMillis(5_000));
        assertEquals(json("{\"x\": \"1\"}"), arguments);
        assertEquals(json("{\"x\": 1}"), variables);
    }
}
