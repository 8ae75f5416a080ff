package dev.apistep.capture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.core.Deadline;
import dev.apistep.step.StepOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every path in a JSON body, in capture syntax, for a builder's "copy path" list in test mode. The list
 * stops at {@link #MAX_PATHS} paths, {@link #MAX_TOTAL_CHARS} characters or the step's deadline, whichever
 * comes first; it is walked without recursion.
 */
public final class PathLister {

    /** Enough for any response a person browses; keeps a test result small. */
    public static final int MAX_PATHS = 2000;
    /** All paths together: a body with very long keys lists fewer paths, never megabytes of them. */
    public static final int MAX_TOTAL_CHARS = 256 * 1024;
    /** Longer keys are not listed (no one copies them by hand); a JSONPath capture still reaches them. */
    private static final int MAX_KEY_CHARS = 256;
    /** Keys a dotted path can name; others are reachable with a JSONPath capture. */
    private static final Pattern PLAIN_KEY = Pattern.compile("[^.\\[\\]]+");

    private PathLister() {
    }

    public static List<String> list(JsonNode json) {
        return list(json, Deadline.afterMillis(StepOptions.MAX_TIMEOUT_MS));
    }

    public static List<String> list(JsonNode json, Deadline deadline) {
        CaptureBudget budget = CaptureBudget.within(deadline);
        List<String> paths = new ArrayList<>();
        long chars = 0;
        Deque<Map.Entry<String, JsonNode>> pending = new ArrayDeque<>();
        pending.push(Map.entry("response", json));
        try {
            while (!pending.isEmpty() && paths.size() < MAX_PATHS) {
                Map.Entry<String, JsonNode> next = pending.pop();
                String path = next.getKey();
                JsonNode node = next.getValue();
                chars += path.length();
                if (chars > MAX_TOTAL_CHARS) {
                    break;
                }
                budget.tick();
                paths.add(path);
                // Children are pushed last first, so that they come off the stack in document order.
                List<Map.Entry<String, JsonNode>> children = new ArrayList<>();
                if (node.isObject()) {
                    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                    while (fields.hasNext() && children.size() < MAX_PATHS) {
                        Map.Entry<String, JsonNode> field = fields.next();
                        budget.tick();
                        String key = field.getKey();
                        if (key.length() <= MAX_KEY_CHARS && PLAIN_KEY.matcher(key).matches()) {
                            children.add(Map.entry(path + "." + key, field.getValue()));
                        }
                    }
                } else if (node.isArray()) {
                    for (int i = 0; i < node.size() && children.size() < MAX_PATHS; i++) {
                        children.add(Map.entry(path + "[" + i + "]", node.get(i)));
                    }
                }
                for (int i = children.size() - 1; i >= 0; i--) {
                    pending.push(children.get(i));
                }
            }
        } catch (CaptureBudget.Exhausted exhausted) {
            // The list so far: a builder still gets the paths nearest the top of the body.
        }
        return paths;
    }
}
