package dev.apistep.capture;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Every path in a JSON body, in capture syntax, for a builder's "copy path" list in test mode. */
public final class PathLister {

    /** Enough for any response a person browses; keeps a test result small. */
    public static final int MAX_PATHS = 2000;
    /** Keys a dotted path can name; others are reachable with a JSONPath capture. */
    private static final Pattern PLAIN_KEY = Pattern.compile("[^.\\[\\]]+");

    private PathLister() {
    }

    public static List<String> list(JsonNode json) {
        List<String> paths = new ArrayList<>();
        walk(json, "response", paths);
        return paths;
    }

    private static void walk(JsonNode node, String path, List<String> paths) {
        if (paths.size() >= MAX_PATHS) {
            return;
        }
        paths.add(path);
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (PLAIN_KEY.matcher(field.getKey()).matches()) {
                    walk(field.getValue(), path + "." + field.getKey(), paths);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", paths);
            }
        }
    }
}
