package dev.apistep.step;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Walks {@code a.b[0].c} into a JSON tree; shared by templates and captures so both read paths alike. */
public final class DottedPath {

    private static final Pattern STEP = Pattern.compile("\\.?([^.\\[\\]]+)|\\[(\\d+)]");

    private DottedPath() {
    }

    /** The node at {@code path} under {@code root}, or null when any step is missing or of the wrong type. */
    public static JsonNode walk(JsonNode root, String path) {
        JsonNode current = root;
        Matcher step = STEP.matcher(path);
        int position = 0;
        while (position < path.length()) {
            if (current == null || !step.find(position) || step.start() != position) {
                return null;
            }
            current = step.group(1) != null
                    ? (current.isObject() ? current.get(step.group(1)) : null)
                    : (current.isArray() ? current.get(Integer.parseInt(step.group(2))) : null);
            position = step.end();
        }
        return current;
    }
}
