package dev.apistep.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.StepError;
import dev.apistep.core.StepFailure;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A tool's parameters: the supported subset is accepted, anything that changes validation beyond it is refused by name. */
class ParameterSchemaTest {

    private static final ObjectMapper JSON = LosslessJson.newMapper();
    private static final String FIELD = "step.tool.parameters";

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException unreadable) {
            throw new IllegalArgumentException(unreadable);
        }
    }

    private static StepError refusal(String schema) {
        StepFailure failure = assertThrows(StepFailure.class, () -> ParameterSchema.check(json(schema), FIELD));
        assertEquals(ErrorCode.INVALID_STEP, failure.error().code());
        return failure.error();
    }

    private static String property(String schema) {
        return "{\"type\": \"object\", \"properties\": {\"order_id\": " + schema + "}}";
    }

    @Test
    void theContractsExampleAndEveryKeywordOfTheSubsetAreAccepted() {
        String schema = """
                {"type": "object", "title": "t", "description": "d", "$schema": "https://json-schema.org/draft/2020-12/schema",
                 "properties": {
                   "order_id": {"type": "string", "pattern": "^A-[0-9]{1,8}$", "minLength": 3, "maxLength": 10,
                                "format": "uuid", "description": "The order number", "examples": ["A-17"]},
                   "count": {"type": ["integer", "null"], "minimum": 0, "maximum": 10, "exclusiveMinimum": -1,
                             "exclusiveMaximum": 11.5, "default": 1},
                   "lang": {"enum": ["en", "fr"]}, "mode": {"const": "fast"},
                   "tags": {"type": "array", "items": {"type": "string"}, "minItems": 0, "maxItems": 3},
                   "meta": {"type": "object", "additionalProperties": {"type": "boolean"}, "x-origin": "crm"}},
                 "required": ["order_id"], "additionalProperties": false}""";
        ObjectNode checked = ParameterSchema.check(json(schema), FIELD);
        assertEquals(json(schema), checked);
    }

    @Test
    void theCheckedSchemaIsACopy() {
        ObjectNode schema = (ObjectNode) json(property("{\"type\": \"string\"}"));
        ObjectNode checked = ParameterSchema.check(schema, FIELD);
        schema.put("additionalProperties", true);
        assertTrue(checked.path("additionalProperties").isMissingNode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"$ref", "oneOf", "anyOf", "allOf", "not", "if", "then", "else", "patternProperties",
        "dependentSchemas", "dependentRequired", "propertyNames", "unevaluatedProperties", "prefixItems", "contains",
        "uniqueItems", "multipleOf", "minProperties", "$defs", "nullable", "requried"})
    void aKeywordOutsideTheSubsetIsRefusedByName(String keyword) {
        StepError error = refusal(property("{\"type\": \"string\", \"" + keyword + "\": []}"));
        assertEquals(FIELD + ".properties.order_id." + keyword, error.reason());
        assertTrue(error.message().startsWith(FIELD + ".properties.order_id." + keyword + " is not supported"), error.message());
    }

    @Test
    void nullableIsRefusedWithTheWayToSayIt() {
        assertTrue(refusal(property("{\"type\": \"string\", \"nullable\": true}")).message()
                .contains("\"type\": [\"string\", \"null\"]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"type\": \"string\"}", "{\"type\": [\"object\"]}", "{\"type\": \"array\"}",
        "{\"properties\": {}}"})
    void aTopLevelThatIsNotAnObjectSchemaIsRefused(String schema) {
        StepError error = refusal(schema);
        assertEquals(FIELD + ".type", error.reason());
        assertTrue(error.message().contains("\"type\": \"object\""), error.message());
    }

    @Test
    void aSchemaThatIsNotAnObjectIsRefused() {
        assertEquals(FIELD, refusal("[]").reason());
        assertEquals(FIELD, assertThrows(StepFailure.class, () -> ParameterSchema.check(null, FIELD)).error().reason());
        assertEquals(FIELD + ".properties.order_id", refusal(property("true")).reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\": \"string\", \"pattern\": \"^(A-\"}|pattern|is not a valid regular expression",
        "{\"type\": \"text\"}|type|must be one of",
        "{\"type\": []}|type|must be a type name or a non-empty array",
        "{\"type\": [\"string\", \"string\"]}|type|twice",
        "{\"type\": \"string\", \"minLength\": -1}|minLength|must be a non-negative integer",
        "{\"type\": \"string\", \"maxLength\": 1.5}|maxLength|must be a non-negative integer",
        "{\"type\": \"string\", \"maxLength\": \"3\"}|maxLength|must be a non-negative integer",
        "{\"type\": \"array\", \"maxItems\": 3000000000}|maxItems|must be a non-negative integer",
        "{\"type\": \"string\", \"minLength\": 5, \"maxLength\": 4}|minLength|is more than maxLength",
        "{\"type\": \"number\", \"minimum\": 5, \"maximum\": 4}|minimum|is more than maximum",
        "{\"type\": \"number\", \"minimum\": \"1\"}|minimum|must be a number",
        "{\"type\": \"number\", \"exclusiveMinimum\": true}|exclusiveMinimum|must be a number",
        "{\"type\": \"array\", \"items\": [{\"type\": \"string\"}]}|items|tuple items are not supported",
        "{\"type\": \"array\", \"items\": true}|items|must be a schema",
        "{\"enum\": []}|enum|must be a non-empty array",
        "{\"type\": \"string\", \"format\": 3}|format|must be a string",
        "{\"type\": \"object\", \"properties\": []}|properties|must be an object of schemas",
        "{\"type\": \"object\", \"required\": [\"a\", 3], \"additionalProperties\": true}|required|field names (strings) only",
        "{\"type\": \"object\", \"properties\": {\"a\": {}}, \"required\": [\"b\"]}|required|not among the properties",
        "{\"type\": \"object\", \"additionalProperties\": 3}|additionalProperties|must be a schema"})
    void anUnsoundKeywordIsRefusedNamingItsFieldPath(String schema, String keyword, String rule) {
        StepError error = refusal(property(schema));
        assertEquals(FIELD + ".properties.order_id." + keyword, error.reason());
        assertTrue(error.message().startsWith(FIELD + ".properties.order_id." + keyword + " "), error.message());
        assertTrue(error.message().contains(rule), error.message());
    }

    @Test
    void aPatternOverAThousandCharactersIsRefused() {
        assertEquals(FIELD + ".properties.order_id.pattern",
                refusal(property("{\"type\": \"string\", \"pattern\": \"" + "a".repeat(1001) + "\"}")).reason());
        ParameterSchema.check(json(property("{\"type\": \"string\", \"pattern\": \"" + "a".repeat(1000) + "\"}")), FIELD);
    }

    @Test
    void aSchemaNestedDeeperThanTheLimitIsRefused() {
        assertEquals(ParameterSchema.MAX_DEPTH, depthOf(ParameterSchema.check(nested(ParameterSchema.MAX_DEPTH), FIELD)));
        StepError error = refusal(nested(ParameterSchema.MAX_DEPTH + 1).toString());
        assertTrue(error.message().contains("nests deeper than " + ParameterSchema.MAX_DEPTH), error.message());
    }

    @Test
    void anEnumValueNestedDeeperThanTheLimitIsRefused() {
        String deep = "[".repeat(40) + "]".repeat(40);
        assertEquals(FIELD + ".properties.order_id.enum", refusal(property("{\"enum\": [" + deep + "]}")).reason());
        assertEquals(FIELD + ".properties.order_id.default", refusal(property("{\"default\": " + deep + "}")).reason());
    }

    /** An object schema whose single field is itself such a schema, {@code depth} schemas in all. */
    static JsonNode nested(int depth) {
        String schema = "{\"type\": \"string\"}";
        for (int level = 1; level < depth; level++) {
            schema = "{\"type\": \"object\", \"properties\": {\"a\": " + schema + "}}";
        }
        return json(schema);
    }

    private static int depthOf(JsonNode schema) {
        int depth = 1;
        for (JsonNode at = schema; at.has("properties"); at = at.path("properties").path("a")) {
            depth++;
        }
        return depth;
    }

    @Test
    void aDerivedSchemaTakesEachVariableAsARequiredStringUnlessItHasADefault() {
        ObjectNode defaults = (ObjectNode) json("""
                {"lang": "en", "count": 3, "ratio": 0.50, "urgent": false, "meta": {"a": 1}, "tags": ["x"], "note": null,
                 "unused": "x"}""");
        ObjectNode derived = ParameterSchema.derive(
                List.of("order_id", "lang", "count", "ratio", "urgent", "meta", "tags", "note", "order_id", "zip"), defaults);
        assertEquals(json("""
                {"type": "object", "properties": {
                   "order_id": {"type": "string"}, "lang": {"type": "string", "default": "en"},
                   "count": {"type": "integer", "default": 3}, "ratio": {"type": "number", "default": 0.50},
                   "urgent": {"type": "boolean", "default": false},
                   "meta": {"type": "object", "additionalProperties": true, "default": {"a": 1}},
                   "tags": {"type": "array", "default": ["x"]}, "note": {"default": null}, "zip": {"type": "string"}},
                 "required": ["order_id", "zip"], "additionalProperties": false}"""), derived);
        assertEquals(derived, ParameterSchema.check(derived, FIELD));
    }

    @Test
    void aDerivedSchemaWithoutVariablesAcceptsNoFieldsAndNeedsNone() {
        ObjectNode derived = ParameterSchema.derive(List.of("a"), (ObjectNode) json("{\"a\": \"x\"}"));
        assertTrue(derived.path("required").isMissingNode());
        assertEquals(json("{\"type\": \"object\", \"properties\": {}, \"additionalProperties\": false}"),
                ParameterSchema.derive(List.of(), null));
    }
}
