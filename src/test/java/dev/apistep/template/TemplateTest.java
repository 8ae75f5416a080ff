package dev.apistep.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.result.ErrorCode;
import dev.apistep.result.StepFailure;
import dev.apistep.result.Warnings;
import dev.apistep.step.LosslessJson;
import dev.apistep.step.UnresolvedPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateTest {

    private static String text(String template, UnresolvedPolicy policy) throws Exception {
        ObjectNode variables = (ObjectNode) LosslessJson.newMapper().readTree("""
                {"name": "Ada", "user": {"address": [{"city": "Oslo"}]}, "user.name": "flat", "n": 1.10,
                 "big": 123456789012345678901234567890, "t": true, "nil": null, "list": [1, 2]}""");
        return new TemplateRenderer(new Variables(variables), policy, new Warnings()).text(template, "field");
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

    @org.junit.jupiter.api.Test
    void errorPolicyNamesTheVariableAndTheField() {
        StepFailure failure = assertThrows(StepFailure.class, () -> text("x {missing}", UnresolvedPolicy.ERROR));
        assertEquals(ErrorCode.UNRESOLVED_VARIABLE, failure.error().code());
        assertEquals("variable 'missing' used in field is not defined", failure.error().message());
    }
}
