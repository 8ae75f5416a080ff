package dev.apistep.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepFailure;
import dev.apistep.step.BodyType;
import dev.apistep.step.Mode;
import dev.apistep.step.StepEvent;
import dev.apistep.step.StepOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StepEventParserTest {

    private static final ObjectMapper JSON = LosslessJson.newMapper();
    private final StepEventParser parser = new StepEventParser();

    private StepEvent parse(String json) throws Exception {
        return parser.parse(JSON.readTree(json));
    }

    private static String withStep(String step) {
        return "{\"step\": " + step + ", \"variables\": {}}";
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            '[1, 2]'                                                                | INVALID_EVENT | event
            '"run"'                                                                 | INVALID_EVENT | event
            '{}'                                                                    | INVALID_EVENT | step
            '{"step": "x"}'                                                         | INVALID_EVENT | step
            '{"mode": "fly", "step": {"request": {"url": "https://h.test"}}}'       | INVALID_EVENT | mode
            '{"step": {"request": {"url": "https://h.test"}}, "variables": [1]}'    | INVALID_EVENT | variables
            '{"step": {"request": {"url": "https://h.test"}}, "context": 5}'        | INVALID_EVENT | context
            '{"step": {}}'                                                          | INVALID_STEP  | step.request
            '{"step": {"request": {}}}'                                             | INVALID_STEP  | step.request.url
            '{"step": {"request": {"url": 5}}}'                                     | INVALID_STEP  | step.request.url
            '{"step": {"request": {"url": "https://h.test", "method": "TRACE"}}}'   | INVALID_STEP  | step.request.method
            '{"step": {"request": {"url": "https://h.test", "headers": "x"}}}'      | INVALID_STEP  | step.request.headers
            '{"step": {"request": {"url": "https://h.test", "headers": [{"name": "a", "value": {"x": 1}}]}}}' | INVALID_STEP | step.request.headers[0].value
            '{"step": {"request": {"url": "https://h.test", "body": {"type": "xml"}}}}' | INVALID_STEP | step.request.body.type
            '{"step": {"request": {"url": "https://h.test", "body": {"type": "json"}}}}' | INVALID_STEP | step.request.body.content
            '{"step": {"request": {"url": "https://h.test"}, "options": {"timeoutMs": 0}}}' | INVALID_STEP | step.options.timeoutMs
            '{"step": {"request": {"url": "https://h.test"}, "options": {"timeoutMs": 60001}}}' | INVALID_STEP | step.options.timeoutMs
            '{"step": {"request": {"url": "https://h.test"}, "options": {"timeoutMs": "5"}}}' | INVALID_STEP | step.options.timeoutMs
            '{"step": {"request": {"url": "https://h.test"}, "options": {"retry": {"maxAttempts": 6}}}}' | INVALID_STEP | step.options.retry.maxAttempts
            '{"step": {"request": {"url": "https://h.test"}, "options": {"successStatuses": ["2yy"]}}}' | INVALID_STEP | step.options.successStatuses[0]
            '{"step": {"request": {"url": "https://h.test"}, "options": {"successStatuses": [700]}}}' | INVALID_STEP | step.options.successStatuses[0]
            '{"step": {"request": {"url": "https://h.test"}, "options": {"onError": "explode"}}}' | INVALID_STEP | step.options.onError
            '{"step": {"request": {"url": "https://h.test"}, "options": {"maxRedirects": -1}}}' | INVALID_STEP | step.options.maxRedirects
            '{"step": {"request": {"url": "https://h.test"}, "options": {"followRedirects": "yes"}}}' | INVALID_STEP | step.options.followRedirects
            '{"step": {"request": {"url": "https://h.test"}, "capture": [{"path": "a"}]}}' | INVALID_STEP | step.capture[0].variable
            '{"step": {"request": {"url": "https://h.test"}, "capture": "a"}}'      | INVALID_STEP  | step.capture
            '{"step": {"request": {"url": "https://h.test"}, "capture": {"": "a"}}}' | INVALID_STEP | step.capture
            '{"step": {"request": {"url": "https://h.test"}, "capture": {"ok": "a", " ": "b"}}}' | INVALID_STEP | step.capture
            '{"step": {"request": {"url": "https://h.test"}, "capture": [{"variable": " ", "path": "a"}]}}' | INVALID_STEP | step.capture[0].variable
            '{"step": {"request": {"url": "https://h.test"}, "auth": {"type": "magic"}}}' | INVALID_STEP | step.auth.type
            '{"step": {"request": {"url": "https://h.test"}, "auth": {"type": "bearer"}}}' | INVALID_STEP | step.auth.token
            '{"step": {"request": {"url": "https://h.test"}, "tags": {"success": "a"}}}' | INVALID_STEP | step.tags.success
            '{"step": {"request": {"url": "https://h.test", "body": {"type": "binary"}}}}' | INVALID_STEP | step.request.body
            '{"step": {"request": {"url": "https://h.test", "body": {"type": "binary", "content": "AA==", "url": "https://f.test/x"}}}}' | INVALID_STEP | step.request.body
            '{"step": {"request": {"url": "https://h.test", "body": {"type": "binary", "content": "AA==", "encoding": "hex"}}}}' | INVALID_STEP | step.request.body.encoding
            '{"step": {"request": {"url": "https://h.test", "body": {"type": "multipart", "fields": [{"name": "f", "value": "v", "file": {"content": "AA=="}}]}}}}' | INVALID_STEP | step.request.body.fields[0]
            '{"step": {"request": {"url": "https://h.test", "body": {"type": "multipart", "fields": [{"name": "f", "file": "x"}]}}}}' | INVALID_STEP | step.request.body.fields[0].file
            '{"step": {"request": {"url": "https://h.test", "body": {"type": "multipart", "fields": [{"name": "f", "file": {"filename": "a"}}]}}}}' | INVALID_STEP | step.request.body.fields[0].file
            '{"step": {"request": {"url": "https://h.test", "body": {"type": "form", "fields": [{"name": "f", "file": {"content": "AA=="}}]}}}}' | INVALID_STEP | step.request.body.type
            '{"step": {"request": {"url": "https://h.test"}, "options": {"maxUploadBytes": 0}}}' | INVALID_STEP | step.options.maxUploadBytes
            '{"step": {"request": {"url": "https://h.test"}, "options": {"maxUploadBytes": 52428801}}}' | INVALID_STEP | step.options.maxUploadBytes
            """)
    void namesTheFieldAtFault(String event, ErrorCode code, String field) {
        StepFailure failure = assertThrows(StepFailure.class, () -> parse(event));
        assertEquals(code, failure.error().code());
        assertEquals(field, failure.error().reason());
        assertEquals(true, failure.error().message().startsWith(field + " "), failure.error().message());
    }

    @Test
    void appliesTheContractDefaults() throws Exception {
        StepEvent event = parse("{\"step\": {\"request\": {\"url\": \"https://h.test\"}}}");
        assertEquals(Mode.RUN, event.mode());
        assertEquals("GET", event.step().request().method());
        assertEquals(StepOptions.DEFAULTS, event.step().options());
        assertEquals(60_000, event.step().options().timeoutMs());
        assertEquals(BodyType.NONE, event.step().request().body().type());
    }

    @Test
    void readsHeadersAsListsOrObjectsKeepingOrderAndDuplicates() throws Exception {
        StepEvent list = parse(withStep("{\"request\": {\"url\": \"https://h.test\", \"method\": \"post\","
                + " \"headers\": [{\"name\": \"A\", \"value\": \"1\"}, {\"name\": \"A\", \"value\": 2}]}}"));
        assertEquals("POST", list.step().request().method());
        assertEquals(List.of(new NameValue("A", "1"), new NameValue("A", "2")), list.step().request().headers());
        StepEvent object = parse(withStep("{\"request\": {\"url\": \"https://h.test\","
                + " \"query\": {\"b\": \"x\", \"a\": [\"1\", \"2\"]}}}"));
        assertEquals(List.of(new NameValue("b", "x"), new NameValue("a", "1"), new NameValue("a", "2")),
                object.step().request().query());
    }

    @Test
    void readsSuccessStatusesAsClassesSpansAndCodes() throws Exception {
        StepOptions options = parse(withStep("{\"request\": {\"url\": \"https://h.test\"},"
                + " \"options\": {\"successStatuses\": [\"2xx\", 404, \"300-302\"]}}")).step().options();
        assertEquals(true, options.isSuccess(204));
        assertEquals(true, options.isSuccess(404));
        assertEquals(true, options.isSuccess(301));
        assertEquals(false, options.isSuccess(303));
        assertEquals(false, options.isSuccess(500));
    }
}
