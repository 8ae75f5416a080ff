package dev.apistep.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.StepFailure;
import dev.apistep.core.Warnings;
import dev.apistep.step.DottedPath;
import dev.apistep.step.UnresolvedPolicy;
import dev.apistep.support.TestSecrets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Placeholders and paths an attacker writes: no stack overflow, no parse error, an unresolved path at worst. */
class HostileTemplateTest {

    private static final int MANY = 50_000;

    private final Warnings warnings = new Warnings();

    private String render(String template, String variablesJson, UnresolvedPolicy policy) throws Exception {
        ObjectNode variables = (ObjectNode) LosslessJson.newMapper().readTree(variablesJson);
        return new TemplateRenderer(new Variables(variables), policy, warnings, TestSecrets.fromEnvironment(Map.of()))
                .text(template, "field");
    }

    @Test
    void aPlaceholderWithThousandsOfSegmentsIsParsedWithoutRecursion() throws Exception {
        String dotted = "{a" + ".b".repeat(MANY) + "}";
        String indexed = "{a" + "[0]".repeat(MANY) + "}";
        String doubled = "{{ a" + ".b[0]".repeat(MANY) + " }}";
        for (String template : new String[] {dotted, indexed, doubled}) {
            assertEquals(1, Template.parse(template).parts().size());
            assertEquals("x" + template + "y", render("x" + template + "y", "{\"a\": {\"b\": 1}}", UnresolvedPolicy.KEEP));
        }
        assertEquals(3, warnings.list().size());
        assertTrue(warnings.list().stream().allMatch(warning -> warning.length() < 1000), "a warning shows a cut path");
    }

    @Test
    void aDeepPathResolvesWhenTheValueIsThere() throws Exception {
        String nested = "[".repeat(150) + "\"deep\"" + "]".repeat(150);
        assertEquals("deep", render("{a" + "[0]".repeat(150) + "}", "{\"a\": " + nested + "}", UnresolvedPolicy.KEEP));
    }

    @Test
    void anUnfinishedPlaceholderStaysLiteralText() throws Exception {
        String[] templates = {"{a" + ".b".repeat(MANY), "{a" + "[0]".repeat(MANY) + "[x]}", "{".repeat(MANY) + "a",
            "{{".repeat(MANY) + "a" + "}".repeat(MANY), "{a.}", "{a[]}", "{a[1}", "{secret:}", "{secret:ssm:}", "{1a}"};
        for (String template : templates) {
            Template parsed = Template.parse(template);
            assertTrue(parsed.parts().stream().allMatch(part -> part instanceof Template.Literal)
                    || template.startsWith("{{"), template.substring(0, Math.min(20, template.length())));
        }
        assertEquals("{{a}}", Template.parse("{{a}}").parts().stream()
                .map(part -> ((Template.Placeholder) part).raw()).findFirst().orElseThrow());
    }

    @Test
    void anIndexPastTheIntRangeIsAnUnresolvedPathWithAWarning() throws Exception {
        assertEquals("<{items[99999999999]}>", render("<{items[99999999999]}>", "{\"items\": [1]}", UnresolvedPolicy.KEEP));
        assertTrue(warnings.list().get(0).contains("items[99999999999]"), warnings.list().toString());
        assertEquals("<>", render("<{items[2147483648]}>", "{\"items\": [1]}", UnresolvedPolicy.EMPTY));
        StepFailure failure = assertThrows(StepFailure.class,
                () -> render("{items[" + "9".repeat(400) + "]}", "{\"items\": [1]}", UnresolvedPolicy.ERROR));
        assertEquals(ErrorCode.UNRESOLVED_VARIABLE, failure.error().code());
    }

    @Test
    void dottedPathsNeverThrow() throws Exception {
        JsonNode tree = LosslessJson.newMapper().readTree("{\"items\": [{\"a\": 1}], \"x\": {\"y\": 2}}");
        for (String path : new String[] {"items[99999999999]", "items[-1]", "items[" + "9".repeat(5000) + "]", "x" + ".y".repeat(MANY),
            "items" + "[0]".repeat(MANY), ".".repeat(MANY), "[".repeat(MANY), "]", "", "items[0].a.b"}) {
            JsonNode found = DottedPath.walk(tree, path);
            assertFalse(found != null && !path.isEmpty(), path.substring(0, Math.min(30, path.length())));
        }
        assertEquals(1, DottedPath.walk(tree, "items[0].a").intValue());
        assertEquals(2, DottedPath.walk(tree, ".x.y").intValue());
    }
}
