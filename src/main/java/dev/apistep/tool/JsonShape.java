package dev.apistep.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/** Facts about a JSON value that a schema check and an argument check both need, read without trusting the value. */
final class JsonShape {

    private JsonShape() {
    }

    /** How deep a value nests (a scalar 0, {@code {}} 1) and at least how many bytes it takes written compactly. */
    record Extent(int depth, long minBytes) {
    }

    /**
     * Walks {@code value} with a stack of its own, never recursing, and stops as soon as it is deeper than {@code
     * maxDepth} or surely larger than {@code maxBytes}: each node counts at least one byte, so the walk visits at
     * most {@code maxBytes + 1} nodes whatever the value's size.
     */
    static Extent measure(JsonNode value, int maxDepth, long maxBytes) {
        record Pending(JsonNode node, int depth) {
        }
        Deque<Pending> pending = new ArrayDeque<>();
        pending.push(new Pending(value, 0));
        int deepest = 0;
        long bytes = 0;
        while (!pending.isEmpty() && deepest <= maxDepth && bytes <= maxBytes) {
            Pending next = pending.pop();
            JsonNode node = next.node();
            if (node.isContainerNode()) {
                int depth = next.depth() + 1;
                deepest = Math.max(deepest, depth);
                bytes += 2;
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    bytes += field.getKey().length() + 3;
                    pending.push(new Pending(field.getValue(), depth));
                }
                if (node.isArray()) {
                    for (JsonNode element : node) {
                        pending.push(new Pending(element, depth));
                    }
                }
            } else {
                // A string takes at least its UTF-16 length in UTF-8, plus its quotes.
                bytes += node.isTextual() ? node.textValue().length() + 2 : 1;
            }
        }
        return new Extent(deepest, bytes);
    }

    /** JSON Schema's equality: numbers by value (1 is 1.0), containers element by element, nothing coerced. */
    static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            BigDecimal left = decimal(a);
            BigDecimal right = decimal(b);
            return left != null && right != null ? left.compareTo(right) == 0 : a.equals(b);
        }
        if (a.getNodeType() != b.getNodeType() || a.size() != b.size()) {
            return false;
        }
        if (a.isArray()) {
            for (int i = 0; i < a.size(); i++) {
                if (!sameValue(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = a.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode other = b.get(field.getKey());
                if (other == null || !sameValue(field.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** A number's exact value; null for a non-finite double, which JSON cannot hold. */
    static BigDecimal decimal(JsonNode number) {
        if ((number.isDouble() || number.isFloat()) && !Double.isFinite(number.doubleValue())) {
            return null;
        }
        return number.decimalValue();
    }

    /** Whether a number has no fractional part: JSON Schema's integer, 3.0 and 1E+3 included. */
    static boolean isInteger(JsonNode number) {
        if (number.isIntegralNumber()) {
            return true;
        }
        BigDecimal value = decimal(number);
        return value != null && (value.signum() == 0 || value.stripTrailingZeros().scale() <= 0);
    }
}
