package dev.apistep.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.StepFailure;
import dev.apistep.core.Warnings;
import dev.apistep.step.UnresolvedPolicy;
import dev.apistep.support.TestSecrets;
import org.junit.jupiter.api.Test;

class JsonBodyRendererTest {

    private static final ObjectMapper JSON = LosslessJson.newMapper();
    private static final String VARIABLES = """
            {"note": "He said \\"hi\\"\\nthen left \\\\ ok", "count": 3, "flag": true, "obj": {"a": [1, "x"]},
             "big": 12345678901234567890.123456789000, "text": "{\\"a\\":1}", "nothing": null, "city": "São Paulo",
             "id": 7}""";

    private String render(String template, UnresolvedPolicy policy) throws Exception {
        return renderer(policy).render(JSON.getNodeFactory().textNode(template));
    }

    private JsonBodyRenderer renderer(UnresolvedPolicy policy) throws Exception {
        ObjectNode variables = (ObjectNode) JSON.readTree(VARIABLES);
        return new JsonBodyRenderer(new TemplateRenderer(new Variables(variables), policy, new Warnings(), TestSecrets.none()), JSON);
    }

    private JsonNode parse(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void insideStringLiteralsInsertsTheEscapedText() throws Exception {
        JsonNode body = parse(render("{\"note\": \"{note}\", \"id\": \"id-{id}\", \"t\": \"{text}\", \"o\": \"{obj}\"}",
                UnresolvedPolicy.KEEP));
        assertEquals("He said \"hi\"\nthen left \\ ok", body.get("note").textValue());
        assertEquals("id-7", body.get("id").textValue());
        assertEquals("{\"a\":1}", body.get("t").textValue());
        assertEquals("{\"a\":[1,\"x\"]}", body.get("o").textValue());
    }

    @Test
    void outsideStringLiteralsInsertsTheJsonValue() throws Exception {
        String text = render("{\"count\": {count}, \"flag\": {flag}, \"obj\": {obj}, \"big\": {big}, \"note\": {note},"
                + " \"nothing\": {nothing}}", UnresolvedPolicy.KEEP);
        JsonNode body = parse(text);
        assertTrue(body.get("count").isIntegralNumber());
        assertEquals(3, body.get("count").intValue());
        assertTrue(body.get("flag").booleanValue());
        assertEquals(1, body.get("obj").get("a").get(0).intValue());
        assertTrue(text.contains("12345678901234567890.123456789000"), text);
        assertEquals("He said \"hi\"\nthen left \\ ok", body.get("note").textValue());
        assertTrue(body.get("nothing").isNull());
    }

    @Test
    void leavesBracesThatAreNotPlaceholdersAlone() throws Exception {
        JsonNode body = parse(render("{\"query\": \"query { user(id: {id}) { name } }\"}", UnresolvedPolicy.KEEP));
        assertEquals("query { user(id: 7) { name } }", body.get("query").textValue());
    }

    @Test
    void keepsAnUndefinedPlaceholderInsideAStringAsWritten() throws Exception {
        JsonNode body = parse(render("{\"a\": \"{missing}\"}", UnresolvedPolicy.KEEP));
        assertEquals("{missing}", body.get("a").textValue());
    }

    @Test
    void anUndefinedPlaceholderOutsideAStringMakesTheBodyInvalid() {
        StepFailure failure = assertThrows(StepFailure.class, () -> render("{\"a\": {missing}}", UnresolvedPolicy.KEEP));
        assertEquals(ErrorCode.INVALID_BODY, failure.error().code());
    }

    @Test
    void emptyPolicyTurnsUndefinedValuesIntoNullOrEmptyText() throws Exception {
        JsonNode body = parse(render("{\"a\": {missing}, \"b\": \"x{missing}\"}", UnresolvedPolicy.EMPTY));
        assertTrue(body.get("a").isNull());
        assertEquals("x", body.get("b").textValue());
    }

    @Test
    void refusesBodiesThatAreNotJsonOnceRendered() {
        for (String broken : new String[] {"{\"a\": }", "{\"a\": 1} trailing", "", "{\"a\": \"{note}\"", "[1, 2"}) {
            StepFailure failure = assertThrows(StepFailure.class, () -> render(broken, UnresolvedPolicy.KEEP), broken);
            assertEquals(ErrorCode.INVALID_BODY, failure.error().code(), broken);
        }
    }

    @Test
    void rendersEveryStringOfAJsonValueBody() throws Exception {
        JsonNode content = JSON.readTree("{\"note\": \"{note}\", \"{city}\": [\"{count}\", 5, 1.50]}");
        JsonNode body = parse(renderer(UnresolvedPolicy.KEEP).render(content));
        assertEquals("He said \"hi\"\nthen left \\ ok", body.get("note").textValue());
        assertEquals("3", body.get("São Paulo").get(0).textValue());
        assertEquals("1.50", body.get("São Paulo").get(2).decimalValue().toPlainString());
    }
}
