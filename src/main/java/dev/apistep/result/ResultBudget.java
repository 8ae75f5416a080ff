package dev.apistep.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.Deadline;
import dev.apistep.core.JsonSize;
import dev.apistep.step.StepOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Keeps a result under Lambda's 6 MB response limit, whatever the step captured: past the budget, the
 * bodies shown by test mode go first, then the largest captures, each named in a warning. A dropped
 * capture leaves its variable as it came in.
 *
 * <p>Bounded itself, in bytes and time: a result is measured by writing it to a counter that stops past the
 * budget (never more than 5 MiB written per measure, whatever the result repeats), and the fitting ends at the
 * step's deadline plus {@link #GRACE_MS} (or that long after it starts, when it starts later): past it, the traces and every capture still in the result are dropped
 * unmeasured, each named in a warning, so that the step answers at its deadline.
 */
final class ResultBudget {

    /** Lambda answers at most 6 MB synchronously; this leaves room for the runtime's own framing. */
    static final int MAX_RESULT_BYTES = 5 * 1024 * 1024;
    /** Past the step's deadline (after the capture stage's own 50 ms), so that a step answers within its deadline + 200 ms. */
    static final long GRACE_MS = 150;
    /** What is kept of a request URL when the traces must shrink. */
    private static final int SHORT_URL_CHARS = 2048;

    private final ObjectMapper mapper;

    ResultBudget(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code deadline}: the step's, or null when the event could not be read (then the result is small). */
    StepResult fit(StepResult result, ObjectNode inputVariables, Deadline deadline) {
        // A bound got by walking the result settles almost every step without writing it.
        boolean compact = !mapper.isEnabled(SerializationFeature.INDENT_OUTPUT);
        if (compact && SizeBound.of(result, MAX_RESULT_BYTES) <= MAX_RESULT_BYTES) {
            return result;
        }
        Deadline fitting = Deadline.afterMillis((deadline == null ? StepOptions.MAX_TIMEOUT_MS : deadline.remainingMillis()) + GRACE_MS);
        try {
            return fitWithin(result, inputVariables, fitting);
        } catch (JsonSize.Late late) {
            return unmeasured(result, inputVariables);
        }
    }

    private StepResult fitWithin(StepResult result, ObjectNode inputVariables, Deadline fitting) throws JsonSize.Late {
        if (size(result, fitting) <= MAX_RESULT_BYTES) {
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
        ObjectNode changes = JsonNodeFactory.instance.objectNode().setAll(result.changes());
        StepResult fitted = rebuild(result, inputVariables, changes, warnings, request, response);
        int size = size(fitted, fitting);
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
            size = size(fitted, fitting);
        }
        // Largest captures first. Each is counted twice (in variables and changes) less what its variable held
        // before; the result is written again only when that estimate says it fits, so a step with many
        // captures is not written once per capture.
        List<Map.Entry<String, Integer>> largest = largestFirst(changes, fitting);
        int next = 0;
        while (size > MAX_RESULT_BYTES && next < largest.size()) {
            long estimate = size;
            while (estimate > MAX_RESULT_BYTES && next < largest.size()) {
                Map.Entry<String, Integer> capture = largest.get(next++);
                JsonNode before = inputVariables.get(capture.getKey());
                estimate -= 2L * capture.getValue() - (before == null ? 0 : size(before, fitting));
                changes.remove(capture.getKey());
                warnings.add("capture '" + capture.getKey() + "' was dropped to stay under the Lambda response limit");
            }
            fitted = rebuild(result, inputVariables, changes, warnings, request, response);
            size = size(fitted, fitting);
        }
        return fitted;
    }

    /** Out of time to measure: the status and the input variables, no traces, every capture dropped and named. */
    private static StepResult unmeasured(StepResult result, ObjectNode inputVariables) {
        List<String> warnings = new ArrayList<>(result.warnings());
        result.changes().fieldNames().forEachRemaining(name -> warnings.add("capture '" + name
                + "' was dropped: the result could not be measured against the Lambda response limit before the step's deadline"));
        RequestTrace request = result.request() == null ? null
                : new RequestTrace(result.request().method(), "", List.of(), null);
        ResponseTrace response = result.response() == null ? null
                : new ResponseTrace(result.response().status(), List.of(), null, true, List.of());
        if (request != null || response != null) {
            warnings.add("the traces were left out of the result: it could not be measured before the step's deadline");
        }
        return rebuild(result, inputVariables, JsonNodeFactory.instance.objectNode(), warnings, request, response);
    }

    private static StepResult rebuild(StepResult result, ObjectNode inputVariables, ObjectNode changes, List<String> warnings,
            RequestTrace request, ResponseTrace response) {
        return new StepResult(result.branch(), variables(inputVariables, changes),
                JsonNodeFactory.instance.objectNode().setAll(changes), result.status(), result.error(), warnings,
                result.tags(), result.attempts(), result.durationMs(), request, response, result.step());
    }

    /**
     * The input variables with the changes applied: a new top level over the same values (nothing below the top
     * level of a result is ever changed, and a deep copy of a capture that repeats subtrees could be far larger
     * than the capture itself).
     */
    static ObjectNode variables(ObjectNode inputVariables, ObjectNode changes) {
        ObjectNode variables = JsonNodeFactory.instance.objectNode().setAll(inputVariables);
        variables.setAll(changes);
        return variables;
    }

    private List<Map.Entry<String, Integer>> largestFirst(ObjectNode changes, Deadline fitting) throws JsonSize.Late {
        List<Map.Entry<String, Integer>> sizes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = changes.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            sizes.add(Map.entry(field.getKey(), size(field.getValue(), fitting)));
        }
        sizes.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
        return sizes;
    }

    /** The written size, up to the budget: past it, {@code MAX_RESULT_BYTES + 1} whatever the rest would have been. */
    private int size(Object value, Deadline fitting) throws JsonSize.Late {
        return (int) JsonSize.upTo(mapper.writer(), value, MAX_RESULT_BYTES, fitting);
    }
}
