package dev.apistep.step;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Objects;

/**
 * One invocation: the step, the conversation's variables, who calls ({@code tenantId} may be null) and
 * where to deliver the result when no caller waits for it ({@code callback}, may be null).
 */
public record StepEvent(Mode mode, Step step, ObjectNode variables, String tenantId, String conversationId,
        URI callback) {

    public StepEvent {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(step, "step");
        variables = variables.deepCopy();
    }
}
