package dev.apistep.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.result.StepResult;
import java.net.URI;

/**
 * What one run of the pipeline gives its entry point: the result, where the event asked it delivered (or null) and,
 * for a tool call, the {@code reply} the caller gets instead of the result: the platform's own shape (contract §8).
 */
public record StepRun(StepResult result, URI callback, JsonNode reply) {

    public StepRun(StepResult result, URI callback) {
        this(result, callback, null);
    }

    /** What the caller is answered: the tool call's reply, or the step's result. */
    public Object answer() {
        return reply != null ? reply : result;
    }
}
