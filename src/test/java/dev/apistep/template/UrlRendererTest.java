package dev.apistep.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepFailure;
import dev.apistep.core.Warnings;
import dev.apistep.step.UnresolvedPolicy;
import dev.apistep.support.TestSecrets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlRendererTest {

    private static final String VARIABLES = """
            {"amp": "a&b=c#d", "climb": "../admin", "dots": "..", "city": "São Paulo", "quote": "He said \\"hi\\"",
             "n": 42, "empty": "", "none": null, "obj": {"a": 1}, "user": {"ids": ["u/1"]}, "pct": "100%", "plus": "a+b"}""";

    private static Warnings warnings;

    private static UrlRenderer renderer(UnresolvedPolicy policy) throws Exception {
        warnings = new Warnings();
        ObjectNode variables = (ObjectNode) LosslessJson.newMapper().readTree(VARIABLES);
        return new UrlRenderer(new TemplateRenderer(new Variables(variables), policy, warnings, TestSecrets.none()), "step.request.url");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            https://h.test/items/{amp}              | https://h.test/items/a%26b%3Dc%23d
            https://h.test/items/{climb}/x          | https://h.test/items/..%2Fadmin/x
            https://h.test/items/{dots}/x           | https://h.test/items/%2E%2E/x
            https://h.test/c/{city}                 | https://h.test/c/S%C3%A3o%20Paulo
            https://h.test/q/{quote}                | https://h.test/q/He%20said%20%22hi%22
            https://h.test/n/{{n}}                  | https://h.test/n/42
            https://h.test/n/{{ n }}                | https://h.test/n/42
            https://h.test/o/{obj}                  | https://h.test/o/%7B%22a%22%3A1%7D
            https://h.test/u/{user.ids[0]}          | https://h.test/u/u%2F1
            https://h.test/p/{pct}                  | https://h.test/p/100%25
            https://h.test/s?q={amp}&lang=en        | https://h.test/s?q=a%26b%3Dc%23d&lang=en
            https://h.test/s?q={plus}               | https://h.test/s?q=a%2Bb
            https://h.test/s?q={city}#frag          | https://h.test/s?q=S%C3%A3o%20Paulo
            HTTPS://h.test                          | https://h.test/
            https://h.test/a b/ü?x=1 2              | https://h.test/a%20b/%C3%BC?x=1%202
            https://h.test/already%20encoded        | https://h.test/already%20encoded
            https://h.test/stray%zz                 | https://h.test/stray%25zz
            http://h.test:8080/x                    | http://h.test:8080/x
            https://h.test/s?created[gte]=1&a[]=2   | https://h.test/s?created%5Bgte%5D=1&a%5B%5D=2
            http://[::1]:8080/x                     | http://[::1]:8080/x
            """)
    void encodesEachPartForWhereItLands(String template, String expected) throws Exception {
        assertEquals(expected, renderer(UnresolvedPolicy.KEEP).render(template, List.of()).toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            https://h.test/items/{missing}      | UNRESOLVED_VARIABLE
            https://h.test/items/{empty}        | UNRESOLVED_VARIABLE
            https://h.test/items/{none}         | UNRESOLVED_VARIABLE
            https://{host}/x                    | INVALID_STEP
            https://api.{amp}.test/x            | INVALID_STEP
            {scheme}://h.test/x                 | INVALID_STEP
            ftp://h.test/x                      | BLOCKED_DESTINATION
            file:///etc/passwd                  | BLOCKED_DESTINATION
            https://user:pass@h.test/x          | INVALID_STEP
            /relative/path                      | INVALID_STEP
            https://h.test:99999/x              | INVALID_STEP
            https://h.test:0/x                  | INVALID_STEP
            http://127.1/x                      | INVALID_STEP
            """)
    void refusesUrlsThatWouldSendSomethingElse(String template, ErrorCode code) throws Exception {
        StepFailure failure = assertThrows(StepFailure.class,
                () -> renderer(UnresolvedPolicy.KEEP).render(template, List.of()));
        assertEquals(code, failure.error().code());
        assertTrue(failure.error().message().contains("step.request.url"), failure.error().message());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            KEEP  | https://h.test/s?q=%7Bmissing%7D&x=1
            EMPTY | https://h.test/s?q=&x=1
            """)
    void followsThePolicyForUndefinedQueryVariables(UnresolvedPolicy policy, String expected) throws Exception {
        assertEquals(expected, renderer(policy).render("https://h.test/s?q={missing}&x=1", List.of()).toString());
        assertEquals(1, warnings.list().size());
        assertTrue(warnings.list().get(0).contains("'missing'"));
    }

    @org.junit.jupiter.api.Test
    void failsOnUndefinedQueryVariableWhenAskedTo() throws Exception {
        StepFailure failure = assertThrows(StepFailure.class,
                () -> renderer(UnresolvedPolicy.ERROR).render("https://h.test/s?q={missing}", List.of()));
        assertEquals(ErrorCode.UNRESOLVED_VARIABLE, failure.error().code());
    }

    @org.junit.jupiter.api.Test
    void appendsQueryEntriesEncodedKeepingDuplicatesAndDroppingEmptyNames() throws Exception {
        String url = renderer(UnresolvedPolicy.KEEP).render("https://h.test/s?a=1", List.of(
                new NameValue("q", "{city}"), new NameValue("q", "{amp}"), new NameValue("", "dropped"),
                new NameValue("{missing}x", "v"))).toString();
        assertEquals("https://h.test/s?a=1&q=S%C3%A3o%20Paulo&q=a%26b%3Dc%23d&%7Bmissing%7Dx=v", url);
    }
}
