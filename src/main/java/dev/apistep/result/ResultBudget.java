package dev.apistep.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Keeps a result under Lambda's 6 MB response limit, whatever the step captured: past the budget, the
 * bodies shown by test mode go first, then the largest captures, each named in a warning. A dropped
 * capture leaves its variable as it came in.
 */
final class ResultBudget {

    /** Lambda answers at most 6 MB synchronously; this leaves room for the runtime's own framing. */
    static final int MAX_RESULT_BYTES = 5 * 1024 * 1024;
    /** What is kept of a request URL when the traces must shrink. */
    private static final int SHORT_URL_CHARS = 2048;

    private final ObjectMapper mapper;

    ResultBudget(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    StepResult fit(StepResult result, ObjectNode inputVariables) {
        // A bound got by walking the result settles almost every step without writing it.
        boolean compact = !mapper.isEnabled(SerializationFeature.INDENT_OUTPUT);
        if (compact && SizeBound.of(result, MAX_RESULT_BYTES) <= MAX_RESULT_BYTES || size(result) <= MAX_RESULT_BYTES) {
            return result;
        }
        List<String> warnings = new ArrayList<>(result.warnings());
        RequestTrace request = result.request();
        ResponseTrace response = result.response();
        if (response != null && response.body() != null) {
            response = new ResponseTrace(response.status(), response.headers(), null, true, response.paths());
            warnings.add("the response body was left out of the result to stay under the Lambda response limit");
        }
        if (request != null && request.body() != null) {
            request = new RequestTrace(request.method(), request.url(), request.headers(), null);
            warnings.add("the request body was left out of the result to stay under the Lambda response limit");
        }
        ObjectNode changes = result.changes().deepCopy();
        StepResult fitted = rebuild(result, inputVariables, changes, warnings, request, response);
        int size = size(fitted);
        if (size > MAX_RESULT_BYTES && (request != null || response != null)) {
            // Then the rest of the traces: a URL or headers rendered from a huge variable, a long path list.
            if (request != null) {
                String url = request.url().length() <= SHORT_URL_CHARS ? request.url() : request.url().substring(0, SHORT_URL_CHARS) + "...";
                request = new RequestTrace(request.method(), url, List.of(), null);
            }
            if (response != null) {
                response = new ResponseTrace(response.status(), List.of(), null, true, List.of());
            }
            warnings.add("the traces' headers, paths and most of the URL were left out of the result to stay under the Lambda response limit");
            fitted = rebuild(result, inputVariables, changes, warnings, request, response);
            size = size(fitted);
        }
        // Largest captures first. Each is counted twice (in variables and changes) less what its variable held
        // before; the result is written again only when that estimate says it fits, so a step with many
        // captures is not written once per capture.
        List<Map.Entry<String, Integer>> largest = largestFirst(changes);
        int next = 0;
        while (size > MAX_RESULT_BYTES && next < largest.size()) {
            long estimate = size;
            while (estimate > MAX_RESULT_BYTES && next < largest.size()) {
                Map.Entry<String, Integer> capture = largest.get(next++);
                JsonNode before = inputVariables.get(capture.getKey());
                estimate -= 2L * capture.getValue() - (before == null ? 0 : size(before));
                changes.remove(capture.getKey());
                warnings.add("capture '" + capture.getKey() + "' was dropped to stay under the Lambda response limit");
            }
            fitted = rebuild(result, inputVariables, changes, warnings, request, response);
            size = size(fitted);
        }
        return fitted;
    }

    private StepResult rebuild(StepResult result, ObjectNode inputVariables, ObjectNode changes, List<String> warnings,
            RequestTrace request, ResponseTrace response) {
        ObjectNode variables = inputVariables.deepCopy();
        variables.setAll(changes);
        return new StepResult(result.branch(), variables, changes.deepCopy(), result.status(), result.error(), warnings,
                result.tags(), result.attempts(), result.durationMs(), request, response, result.step());
    }

    private List<Map.Entry<String, Integer>> largestFirst(ObjectNode changes) {
        List<Map.Entry<String, Integer>> sizes = new ArrayList<>();
        changes.fields().forEachRemaining(entry -> sizes.add(Map.entry(entry.getKey(), size(entry.getValue()))));
        sizes.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
        return sizes;
    }

    /** The written size, counted as it is written: nothing is kept. */
    private int size(Object value) {
        ByteCounter counter = new ByteCounter();
        try {
            mapper.writeValue(counter, value);
        } catch (IOException unwritable) {
            throw new IllegalStateException("a result must always be writable as JSON", unwritable);
        }
        return (int) Math.min(Integer.MAX_VALUE, counter.count);
    }

    private static final class ByteCounter extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            count += length;
        }
    }
}
