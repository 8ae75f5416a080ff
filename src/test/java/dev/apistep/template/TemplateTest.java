package dev.apistep.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.StepFailure;
import dev.apistep.core.Warnings;
import dev.apistep.step.UnresolvedPolicy;
import dev.apistep.support.TestSecrets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateTest {

    private static String text(String template, UnresolvedPolicy policy) throws Exception {
        ObjectNode variables = (ObjectNode) LosslessJson.newMapper().readTree("""
                {"name": "Ada", "user": {"address": [{"city": "Oslo"}]}, "user.name": "flat", "n": 1.10,
                 "big": 123456789012345678901234567890, "t": true, "nil": null, "list": [1, 2]}""");
        return renderer(variables, policy).text(template, "field");
    }

    private static final Map<String, String> ENVIRONMENT = Map.of(
            "API_STEP_SECRET_CRM_TOKEN", "crm-secret", "API_STEP_SECRET_A_B_C", "abc-secret",
            "AWS_SECRET_ACCESS_KEY", "the-function's-own-key", "PATH", "/usr/bin");

    private static TemplateRenderer renderer(ObjectNode variables, UnresolvedPolicy policy) {
        return new TemplateRenderer(new Variables(variables), policy, new Warnings(), TestSecrets.fromEnvironment(ENVIRONMENT));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            Hi {name}!                            | Hi Ada!
            Hi {{name}}!                          | Hi Ada!
            Hi {{ name }}!                        | Hi Ada!
            {user.address[0].city}                | Oslo
            {user.name}                           | flat
            {n}                                   | 1.10
            {big}                                 | 123456789012345678901234567890
            {t}                                   | true
            '[{nil}]'                             | '[]'
            {list}                                | '[1,2]'
            '{ name }'                            | '{ name }'
            '{"a": 1}'                            | '{"a": 1}'
            {missing} stays                       | {missing} stays
            {user.address[5].city}                | {user.address[5].city}
            {name.first}                          | {name.first}
            '{{name}'                             | '{Ada'
            """)
    void insertsValuesAsTextAndLeavesOtherBracesAlone(String template, String expected) throws Exception {
        assertEquals(expected, text(template, UnresolvedPolicy.KEEP));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            Bearer {secret:crm-token}               | Bearer crm-secret
            Bearer {{secret:crm-token}}             | Bearer crm-secret
            Bearer {{ secret:crm-token }}           | Bearer crm-secret
            {secret:a.b-c}                          | abc-secret
            '{secret: crm-token}'                   | '{secret: crm-token}'
            """)
    void resolvesSecretsByReferenceFromTheirOwnEnvironmentVariables(String template, String expected) throws Exception {
        assertEquals(expected, text(template, UnresolvedPolicy.KEEP));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            {secret:AWS_SECRET_ACCESS_KEY}
            {secret:PATH}
            {secret:missing}
            {secret:ssm:/bot/token}
            """)
    void aSecretThatIsNotAvailableFailsWhateverThePolicyAndNoOtherVariableIsReadable(String template) {
        StepFailure failure = assertThrows(StepFailure.class, () -> text(template, UnresolvedPolicy.KEEP));
        assertEquals(ErrorCode.UNRESOLVED_VARIABLE, failure.error().code());
        assertEquals(false, failure.error().message().contains("the-function's-own-key"));
    }

    @org.junit.jupiter.api.Test
    void recordsTheSecretsItUsed() throws Exception {
        TemplateRenderer renderer = renderer(LosslessJson.newMapper().createObjectNode(), UnresolvedPolicy.KEEP);
        renderer.text("{secret:crm-token} and {secret:crm-token}", "field");
        assertEquals(java.util.Set.of("crm-token"), renderer.usedSecrets().names());
        assertEquals(java.util.Set.of("crm-secret"), renderer.usedSecrets().values());
    }

    @org.junit.jupiter.api.Test
    void errorPolicyNamesTheVariableAndTheField() {
        StepFailure failure = assertThrows(StepFailure.class, () -> text("x {missing}", UnresolvedPolicy.ERROR));
        assertEquals(ErrorCode.UNRESOLVED_VARIABLE, failure.error().code());
        assertEquals("variable 'missing' used in field is not defined", failure.error().message());
    }
}
