package dev.apistep.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.StepError;
import java.util.List;

/**
 * What the bot runtime gets back: which way to go, the variables, and what happened on the way; in
 * import mode, {@code step} is the structured step read from a cURL command; in tools mode, {@code tools} are the
 * tools' definitions (contract §8).
 */
public record StepResult(
        Branch branch,
        ObjectNode variables,
        ObjectNode changes,
        Integer status,
        StepError error,
        List<String> warnings,
        List<String> tags,
        int attempts,
        long durationMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) RequestTrace request,
        @JsonInclude(JsonInclude.Include.NON_NULL) ResponseTrace response,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode step,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean replayed,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode runs,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode tools) {

    public StepResult {
        warnings = List.copyOf(warnings);
        tags = List.copyOf(tags);
    }

    /** A result as a step produces it: neither replayed (idempotent delivery) nor a history listing. */
    public StepResult(Branch branch, ObjectNode variables, ObjectNode changes, Integer status, StepError error,
            List<String> warnings, List<String> tags, int attempts, long durationMs, RequestTrace request,
            ResponseTrace response, JsonNode step) {
        this(branch, variables, changes, status, error, warnings, tags, attempts, durationMs, request, response, step,
                null, null, null);
    }

    /** The same result with one more warning. */
    public StepResult withWarning(String warning) {
        List<String> more = new java.util.ArrayList<>(warnings);
        more.add(warning);
        return new StepResult(branch, variables, changes, status, error, more, tags, attempts, durationMs, request,
                response, step, replayed, runs, tools);
    }

    /** The same result listing the tools' definitions ({@code mode: tools}). */
    public StepResult withTools(JsonNode definitions) {
        return new StepResult(branch, variables, changes, status, error, warnings, tags, attempts, durationMs, request,
                response, step, replayed, runs, definitions);
    }
}
