package dev.apistep.step;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * {@code step.tool} (contract §8): the step as a tool a language model may call. {@code parameters} is the JSON
 * Schema its arguments must satisfy, null when it is derived from {@code templateVariables} (the root names of the
 * variables the request's templates use, in order of first use); {@code result} is the answer's template (null: the
 * captured variables as compact JSON).
 */
public record ToolSpec(String name, String description, ObjectNode parameters, List<String> templateVariables,
        String result, ToolMessages messages, int maxResultChars) {

    public static final int DEFAULT_MAX_RESULT_CHARS = 4000;

    public ToolSpec {
        Objects.requireNonNull(name, "name");
        templateVariables = List.copyOf(templateVariables);
        Objects.requireNonNull(messages, "messages");
    }

    /** What a voice runtime says around the call, each a template; any may be null. */
    public record ToolMessages(String start, Long delayedAfterMs, String delayed, String complete, String failed) {

        public static final ToolMessages NONE = new ToolMessages(null, null, null, null, null);

        public boolean isEmpty() {
            return start == null && delayed == null && complete == null && failed == null;
        }
    }
}
