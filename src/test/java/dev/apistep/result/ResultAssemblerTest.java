package dev.apistep.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.capture.ResponseDocument;
import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepError;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import dev.apistep.exchange.UsedSecrets;
import dev.apistep.step.BodyTemplate;
import dev.apistep.step.Mode;
import dev.apistep.step.OnError;
import dev.apistep.step.RequestTemplate;
import dev.apistep.step.Step;
import dev.apistep.step.StepOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The result stage alone: a finished step in, the answer the bot runtime gets out. */
class ResultAssemblerTest {

    private static final ObjectMapper JSON = LosslessJson.newMapper();
    private static final URI API = URI.create("https://api.example.com/orders?api_key=k-9");

    private final ResultAssembler assembler = new ResultAssembler(JSON);

    @Test
    void aSuccessfulStatusTakesTheSuccessBranchWithItsTagsAndTheCapturesApplied() {
        StepResult result = assembler.assemble(finished(step(OnError.FAILURE), Mode.RUN, response(200, "{}"),
                changes("status", "shipped"), null));

        assertEquals(Branch.SUCCESS, result.branch());
        assertNull(result.error());
        assertEquals(List.of("ok"), result.tags());
        assertEquals("{\"order_id\":\"A-1\",\"status\":\"shipped\"}", result.variables().toString());
        assertEquals("{\"status\":\"shipped\"}", result.changes().toString());
    }

    @Test
    void aStatusOutsideSuccessStatusesIsAnHttpStatusErrorRetryableWhenItSaysTryLater() {
        StepResult notFound = assembler.assemble(finished(step(OnError.FAILURE), Mode.RUN, response(404, ""), null, null));
        StepResult unavailable = assembler.assemble(finished(step(OnError.FAILURE), Mode.RUN, response(503, ""), null, null));

        assertEquals(Branch.FAILURE, notFound.branch());
        assertEquals(ErrorCode.HTTP_STATUS, notFound.error().code());
        assertFalse(notFound.error().retryable());
        assertTrue(unavailable.error().retryable());
        assertEquals(List.of("down"), notFound.tags());
        assertEquals(404, notFound.status());
    }

    @Test
    void onErrorChoosesTheBranchAndKeepsTheError() {
        StepError timeout = StepError.of(ErrorCode.TIMEOUT, null, "no complete response");

        StepResult carryOn = assembler.assemble(finished(step(OnError.CONTINUE), Mode.RUN, null, null, timeout));
        StepResult stop = assembler.assemble(finished(step(OnError.STOP), Mode.RUN, null, null, timeout));

        assertEquals(Branch.SUCCESS, carryOn.branch());
        assertEquals(ErrorCode.TIMEOUT, carryOn.error().code());
        assertEquals(Branch.STOP, stop.branch());
        assertEquals(List.of("down"), stop.tags());
        assertEquals("{\"order_id\":\"A-1\"}", stop.variables().toString(), "the input variables come back");
    }

    @Test
    void onlyTestModeShowsTheResponseAndOnlyTestAndRenderTheRequestWithSecretsMasked() {
        StepResult run = assembler.assemble(finished(step(OnError.FAILURE), Mode.RUN, response(200, "{\"k\": \"k-9\"}"),
                null, null));
        StepResult test = assembler.assemble(finished(step(OnError.FAILURE), Mode.TEST, response(200, "{\"k\": \"k-9\"}"),
                null, null));

        assertNull(run.request());
        assertNull(run.response());
        assertEquals("https://api.example.com/orders?api_key=***", test.request().url());
        assertTrue(test.request().headers().contains(new NameValue("X-Api-Key", SecretMasker.MASK)));
        assertEquals("{\"k\": \"***\"}", test.response().body());
    }

    @Test
    void anEventThatCouldNotBeReadGetsAFailureWithNoVariables() {
        StepResult result = assembler.unread(StepError.unreadableEvent("the event is not valid JSON"));

        assertEquals(Branch.FAILURE, result.branch());
        assertEquals(ErrorCode.INVALID_EVENT, result.error().code());
        assertEquals("{}", result.variables().toString());
    }

    @Test
    void aResultPastTheResponseLimitDropsTheLargestCaptureAndSaysSo() {
        ObjectNode changes = changes("small", "s");
        changes.put("huge", "x".repeat(ResultBudget.MAX_RESULT_BYTES));

        StepResult result = assembler.assemble(finished(step(OnError.FAILURE), Mode.RUN, response(200, "{}"), changes, null));

        assertFalse(result.changes().has("huge"));
        assertEquals("s", result.changes().get("small").asText());
        assertTrue(result.warnings().contains("capture 'huge' was dropped to stay under the Lambda response limit"));
        assertTrue(LosslessJson.write(JSON, result).length() < ResultBudget.MAX_RESULT_BYTES);
    }

    /**
     * A thousand captures of 2 MiB each take seconds to measure: past the deadline, fitting stops and answers at
     * once with the input variables, every capture dropped and named (a deadline honoured, not a speed target).
     */
    @Test
    void aResultThatCannotBeMeasuredByTheDeadlineDropsItsCapturesAndSaysSo() {
        String large = "x".repeat(2 * 1024 * 1024);
        ObjectNode changes = changes("small", "s");
        for (int i = 0; i < 1000; i++) {
            changes.put("c" + i, large);
        }
        ResultAssembler.FinishedStep late = new ResultAssembler.FinishedStep(step(OnError.FAILURE), Mode.RUN,
                JSON.createObjectNode().put("order_id", "A-1"), null, Set.of(), Set.of(), response(200, "{}"), changes, null,
                1, 12, List.of(), Deadline.afterMillis(0));

        long started = System.nanoTime();
        StepResult result = assembler.assemble(late);
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertTrue(tookMs < ResultBudget.GRACE_MS + 1_000, "answered after " + tookMs + " ms");
        assertEquals("{}", result.changes().toString());
        assertEquals("{\"order_id\":\"A-1\"}", result.variables().toString(), "the input variables are kept");
        assertTrue(result.warnings().contains("capture 'c999' was dropped: the result could not be measured against the"
                + " Lambda response limit before the step's deadline"), result.warnings().subList(0, 3).toString());
        assertEquals(1001, result.warnings().size());
    }

    @Test
    void aTestModeTraceNamesABinaryBodyInsteadOfDecodingIt() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D};
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9};

        assertEquals("<12 bytes of image/png>", traced("image/png; name=\"p.png\"", png).body());
        assertEquals("<12 bytes>", traced(null, png).body(), "a NUL byte says binary without a Content-Type");
        assertEquals("<4 bytes of application/octet-stream>", traced("application/octet-stream", latin1).body());
        assertEquals("caf\uFFFD", traced("text/plain", latin1).body(), "a text type is shown as text, however broken");
        assertEquals("hello", traced("application/octet-stream", "hello".getBytes(StandardCharsets.UTF_8)).body());
        assertEquals("caf\u00E9", traced("application/octet-stream; charset=ISO-8859-1", latin1).body());
    }

    private ResponseTrace traced(String contentType, byte[] body) {
        List<NameValue> headers = contentType == null ? List.of() : List.of(new NameValue("Content-Type", contentType));
        ResponseDocument document = ResponseDocument.of(new HttpResponse(200, headers, body, API), JSON);
        return assembler.assemble(finished(step(OnError.FAILURE), Mode.TEST, document, null, null)).response();
    }

    private static ResultAssembler.FinishedStep finished(Step step, Mode mode, ResponseDocument response,
            ObjectNode changes, StepError failure) {
        OutboundRequest request = new OutboundRequest("GET", API, List.of(new NameValue("X-Api-Key", "k-9")),
                RequestBody.NONE, null, new UsedSecrets(Set.of("crm"), Set.of("k-9")));
        ObjectNode input = JSON.createObjectNode().put("order_id", "A-1");
        return new ResultAssembler.FinishedStep(step, mode, input, request, Set.of("X-Api-Key"), Set.of("k-9"), response,
                changes, failure, 1, 12, List.of(), Deadline.afterMillis(10_000));
    }

    private static Step step(OnError onError) {
        StepOptions defaults = StepOptions.DEFAULTS;
        StepOptions options = new StepOptions(defaults.timeoutMs(), defaults.followRedirects(), defaults.maxRedirects(),
                defaults.successStatuses(), defaults.retry(), onError, defaults.maxResponseBytes(),
                defaults.unresolvedVariables());
        return new Step("get-order", new RequestTemplate("GET", API.toString(), List.of(), List.of(), BodyTemplate.NONE),
                null, null, List.of(), options, List.of("ok"), List.of("down"), null, null);
    }

    private static ResponseDocument response(int status, String body) {
        return ResponseDocument.of(new HttpResponse(status, List.of(new NameValue("Content-Type", "application/json")),
                body.getBytes(StandardCharsets.UTF_8), API), JSON);
    }

    private static ObjectNode changes(String name, String value) {
        return JSON.createObjectNode().put(name, value);
    }
}
