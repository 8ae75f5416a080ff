package dev.apistep.result;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * A bound on how many bytes a value takes written as compact JSON, never below the real size, got by walking it
 * instead of writing it: every character counted as a six-byte escape, every number at its longest, every record
 * component with its name and a null's four bytes. Most results are far under the budget by this bound alone, so
 * they are never written just to be measured. {@link #UNKNOWN} for a value it has no bound for (then the caller
 * writes it to count).
 */
final class SizeBound {

    static final long UNKNOWN = Long.MAX_VALUE;
    /** Per value: the comma, the quotes, a null, a boolean; per object or array its brackets. */
    private static final long SEPARATORS = 8;

    private static final ClassValue<Component[]> COMPONENTS = new ClassValue<>() {
        @Override
        protected Component[] computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Component[] handles = new Component[components.length];
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            for (int i = 0; i < components.length; i++) {
                try {
                    handles[i] = new Component(components[i].getName(), lookup.unreflect(components[i].getAccessor()));
                } catch (IllegalAccessException notPublic) {
                    return null;
                }
            }
            return handles;
        }
    };

    private record Component(String name, MethodHandle accessor) {
    }

    private SizeBound() {
    }

    /** The bound for a result, its records, collections, strings, numbers and JSON trees; stops early past {@code enough}. */
    static long of(Object value, long enough) {
        Deque<Object> pending = new ArrayDeque<>();
        pending.push(value == null ? NULL : value);
        long bound = 0;
        while (!pending.isEmpty() && bound <= enough) {
            Object next = pending.pop();
            bound += SEPARATORS;
            if (next == NULL || next instanceof Boolean) {
                continue;
            }
            if (next instanceof CharSequence text) {
                bound += 6L * text.length();
            } else if (next instanceof Enum<?> constant) {
                bound += 6L * constant.name().length();
            } else if (next instanceof Integer || next instanceof Long || next instanceof Short || next instanceof Byte) {
                bound += 20;
            } else if (next instanceof JsonNode node) {
                long tree = tree(node, pending);
                if (tree == UNKNOWN) {
                    return UNKNOWN;
                }
                bound += tree;
            } else if (next instanceof Collection<?> items) {
                items.forEach(item -> pending.push(item == null ? NULL : item));
            } else if (next instanceof Map<?, ?> entries) {
                for (Map.Entry<?, ?> entry : entries.entrySet()) {
                    pending.push(String.valueOf(entry.getKey()));
                    pending.push(entry.getValue() == null ? NULL : entry.getValue());
                }
            } else if (next instanceof Record record) {
                Component[] components = COMPONENTS.get(record.getClass());
                if (components == null) {
                    return UNKNOWN;
                }
                for (Component component : components) {
                    bound += 6L * component.name().length() + SEPARATORS;
                    Object part;
                    try {
                        part = component.accessor().invoke(record);
                    } catch (Throwable unreadable) {
                        return UNKNOWN;
                    }
                    pending.push(part == null ? NULL : part);
                }
            } else {
                return UNKNOWN;
            }
        }
        return bound;
    }

    /** One JSON node's own size; its children go on {@code pending}. */
    private static long tree(JsonNode node, Deque<Object> pending) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    pending.push(field.getKey());
                    pending.push(field.getValue());
                }
                return 0;
            }
            case ARRAY -> {
                node.forEach(pending::push);
                return 0;
            }
            case STRING -> {
                return 6L * node.textValue().length();
            }
            case NUMBER -> {
                return number(node.numberValue());
            }
            case BOOLEAN, NULL, MISSING -> {
                return 0;
            }
            case BINARY -> {
                try {
                    return 2L * node.binaryValue().length + 4;
                } catch (java.io.IOException unreadable) {
                    return UNKNOWN;
                }
            }
            default -> {
                return UNKNOWN;
            }
        }
    }

    private static long number(Number number) {
        if (number instanceof BigDecimal decimal) {
            // Written plain or in E notation: the digits, the zeros the scale adds, a sign, a point, an exponent.
            return decimal.precision() + Math.abs((long) decimal.scale()) + 16;
        }
        if (number instanceof BigInteger integer) {
            return integer.bitLength() / 3 + 2;
        }
        // long, int: 20 characters at most; float, double: 24 ("-1.2345678901234567E-308").
        return 32;
    }

    private static final Object NULL = new Object();
}
