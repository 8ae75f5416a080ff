package dev.apistep.step;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One {@code capture} entry: the variable to set and the path it comes from. {@code fallback} is the
 * {@code default} value, used only when {@code hasFallback} (an explicit {@code "default": null} counts).
 */
public record Capture(String variable, String path, boolean hasFallback, JsonNode fallback) {

    public Capture {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(path, "path");
    }
}
