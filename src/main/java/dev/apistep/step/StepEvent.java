package dev.apistep.step;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** One invocation: the step, the conversation's variables and who calls ({@code tenantId} may be null). */
public record StepEvent(Mode mode, Step step, ObjectNode variables, String tenantId, String conversationId) {

    public StepEvent {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(step, "step");
        variables = variables.deepCopy();
    }
}
