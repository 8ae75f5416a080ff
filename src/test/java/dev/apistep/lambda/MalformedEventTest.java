package dev.apistep.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.support.LambdaEvents;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A malformed event is answered with a result on the failure branch, never with a function error. */
@QuarkusTest
class MalformedEventTest {

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            '[]'                                                                          | INVALID_EVENT | event
            '"hello"'                                                                     | INVALID_EVENT | event
            '42'                                                                          | INVALID_EVENT | event
            'null'                                                                        | INVALID_EVENT | event
            '{}'                                                                          | INVALID_EVENT | step
            '{"step": [], "variables": {"a": 1}}'                                         | INVALID_EVENT | step
            '{"mode": "explode", "step": {"request": {"url": "https://h.test"}}}'         | INVALID_EVENT | mode
            '{"mode": "import", "step": {"request": {"url": "https://h.test"}}}'          | INVALID_STEP  | step.request.curl
            '{"step": {"request": {"curl": "wget https://h.test"}}, "variables": {"a": 1}}' | INVALID_STEP | step.request.curl
            '{"step": {"request": {"url": "https://h.test"}}, "variables": "x"}'          | INVALID_EVENT | variables
            '{"step": {"request": {"url": "not a url"}}, "variables": {"a": 1}}'          | INVALID_STEP  | step.request.url
            '{"step": {"request": {"url": "https://{host}/x"}}, "variables": {"a": 1}}'   | INVALID_STEP  | step.request.url
            '{"step": {"request": {"method": "BREW", "url": "https://h.test"}}, "variables": {"a": 1}}' | INVALID_STEP | step.request.method
            '{"step": {"request": {"url": "https://h.test"}, "options": {"timeoutMs": -5}}, "variables": {"a": 1}}' | INVALID_STEP | step.options.timeoutMs
            '{"step": {"request": {"url": "https://h.test"}, "capture": [{"variable": "x"}]}, "variables": {"a": 1}}' | INVALID_STEP | step.capture[0].path
            '{"step": {"request": {"url": "https://h.test", "body": {"type": "json", "content": "{\\"a\\": }"}}}, "variables": {"a": 1}}' | INVALID_BODY | step.request.body.content
            '{"step": {"request": {"url": "https://h.test/{missing}"}}, "variables": {"a": 1}}' | UNRESOLVED_VARIABLE | step.request.url
            '{"step": {"request": {"url": "https://h.test"}, "tls": {"caCertificates": "x"}}, "variables": {"a": 1}}' | INVALID_STEP | step.tls.caCertificates
            '{"step": {"request": {"url": "https://h.test"}}, "variables": {"v": "\\uD800"}}'   | INVALID_EVENT | event
            '{"step": {"request": {"url": "https://h.test/\\uDFFF"}}}'                       | INVALID_EVENT | event
            """)
    void answersWithTheFailureBranchNamingTheField(String event, String code, String field) {
        JsonNode result = LambdaEvents.invokeRaw(event);
        assertEquals("failure", result.get("branch").asText(), result.toString());
        assertEquals(code, result.get("error").get("code").asText(), result.toString());
        assertEquals(field, result.get("error").get("reason").asText(), result.toString());
        assertTrue(result.get("error").get("message").asText().contains(field), result.toString());
        assertEquals(0, result.get("attempts").intValue());
        if (event.contains("\"a\": 1")) {
            assertEquals("{\"a\":1}", result.get("variables").toString(), "nothing is lost");
        }
    }
}
