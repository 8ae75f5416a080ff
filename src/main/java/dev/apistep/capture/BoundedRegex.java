package dev.apistep.capture;

import com.jayway.jsonpath.Predicate;
import com.jayway.jsonpath.internal.filter.Evaluator;
import com.jayway.jsonpath.internal.filter.EvaluatorFactory;
import com.jayway.jsonpath.internal.filter.RelationalOperator;
import com.jayway.jsonpath.internal.filter.ValueNode;
import com.jayway.jsonpath.internal.filter.ValueNodes;
import dev.apistep.core.MeteredText;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * JSONPath's {@code =~} filter, bounded in time. A regular expression that backtracks catastrophically
 * ({@code /((a+)+)+b/} on a long run of {@code a}) never returns by itself and cannot be interrupted; here
 * it reads its input through a {@link MeteredText} that counts the characters read and fails once the
 * capture's budget is spent, so the match is abandoned at the step's deadline. JsonPath 2.9 has no hook
 * for its operators: this evaluator replaces its own in JsonPath's operator table, with the same meaning
 * (a pattern against a string, number or boolean, or against any element of a list). If that table cannot
 * be reached (another JsonPath version, a native image without the reflection registration), {@link
 * #ACTIVE} is false and the capture stage refuses regular-expression filters instead: never unbounded.
 */
@RegisterForReflection(targets = {EvaluatorFactory.class, ValueNodes.PatternNode.class})
final class BoundedRegex implements Evaluator {

    private static final ThreadLocal<CaptureBudget> BUDGET = new ThreadLocal<>();
    private static final Field COMPILED_PATTERN = field(ValueNodes.PatternNode.class, "compiledPattern");
    /** Whether JsonPath evaluates {@code =~} with this class. */
    static final boolean ACTIVE = install();

    private BoundedRegex() {
    }

    /** Runs {@code work} with regular-expression filters bounded by {@code budget}. */
    static <T> T within(CaptureBudget budget, java.util.function.Supplier<T> work) {
        CaptureBudget outer = BUDGET.get();
        BUDGET.set(budget);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                BUDGET.remove();
            } else {
                BUDGET.set(outer);
            }
        }
    }

    @Override
    public boolean evaluate(ValueNode left, ValueNode right, Predicate.PredicateContext ctx) {
        if (left.isPatternNode() == right.isPatternNode()) {
            return false;
        }
        Pattern pattern = compiled(left.isPatternNode() ? left.asPatternNode() : right.asPatternNode());
        ValueNode input = left.isPatternNode() ? right : left;
        if (input.isValueListNode()) {
            return matchesAny(pattern, input.asValueListNode());
        }
        if (input.isJsonNode() && input.asJsonNode().isArray(ctx)) {
            ValueNode list = input.asJsonNode().asValueListNode(ctx);
            return list.isValueListNode() && matchesAny(pattern, list.asValueListNode());
        }
        return matches(pattern, text(input));
    }

    private static boolean matchesAny(Pattern pattern, ValueNodes.ValueListNode list) {
        for (ValueNode element : list) {
            if (matches(pattern, text(element))) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Pattern pattern, String text) {
        CaptureBudget budget = BUDGET.get();
        return pattern.matcher(budget == null ? text : new MeteredText(text, budget::tick)).matches();
    }

    /** What JsonPath's own operator matches against: strings and numbers as text, booleans as words, else nothing. */
    private static String text(ValueNode node) {
        if (node.isStringNode() || node.isNumberNode()) {
            return node.asStringNode().getString();
        }
        return node.isBooleanNode() ? node.asBooleanNode().toString() : "";
    }

    private static Pattern compiled(ValueNodes.PatternNode node) {
        try {
            return (Pattern) COMPILED_PATTERN.get(node);
        } catch (IllegalAccessException unreachable) {
            throw new IllegalStateException("the JsonPath pattern is not readable", unreachable);
        }
    }

    private static boolean install() {
        try {
            if (COMPILED_PATTERN == null) {
                return false;
            }
            Field table = field(EvaluatorFactory.class, "evaluators");
            if (table == null) {
                return false;
            }
            @SuppressWarnings("unchecked")
            Map<RelationalOperator, Evaluator> evaluators = (Map<RelationalOperator, Evaluator>) table.get(null);
            evaluators.put(RelationalOperator.REGEX, new BoundedRegex());
            return EvaluatorFactory.createEvaluator(RelationalOperator.REGEX) instanceof BoundedRegex;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unavailable) {
            return false;
        }
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            return null;
        }
    }
}
