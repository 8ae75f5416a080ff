package dev.apistep.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.step.DottedPath;
import java.util.Optional;

/** Looks up a placeholder's path in the conversation's variables. */
public final class Variables {

    private final ObjectNode values;

    public Variables(ObjectNode values) {
        this.values = values;
    }

    /**
     * The value at {@code path}, or empty when any part of it is missing. A variable whose own name has
     * dots ({@code "user.name"}) wins over a walk into {@code user}; a defined null is a value.
     */
    public Optional<JsonNode> lookup(String path) {
        if (values.has(path)) {
            return Optional.of(values.get(path));
        }
        return Optional.ofNullable(DottedPath.walk(values, path));
    }
}
