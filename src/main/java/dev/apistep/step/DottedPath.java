package dev.apistep.step;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Walks {@code a.b[0].c} into a JSON tree; shared by templates and captures so both read paths alike. */
public final class DottedPath {

    private static final Pattern STEP = Pattern.compile("\\.?([^.\\[\\]]+)|\\[(\\d+)]");

    private DottedPath() {
    }

    /**
     * The node at {@code path} under {@code root}, or null when any step is missing or of the wrong type.
     * An index past the int range names no element: it is missing like any other, never an error.
     */
    public static JsonNode walk(JsonNode root, String path) {
        JsonNode current = root;
        Matcher step = STEP.matcher(path);
        int position = 0;
        while (position < path.length()) {
            step.region(position, path.length());
            if (current == null || !step.lookingAt()) {
                return null;
            }
            current = step.group(1) != null
                    ? (current.isObject() ? current.get(step.group(1)) : null)
                    : (current.isArray() ? element(current, step.group(2)) : null);
            position = step.end();
        }
        return current;
    }

    private static JsonNode element(JsonNode array, String digits) {
        try {
            return array.get(Integer.parseInt(digits));
        } catch (NumberFormatException pastTheIntRange) {
            return null;
        }
    }
}
