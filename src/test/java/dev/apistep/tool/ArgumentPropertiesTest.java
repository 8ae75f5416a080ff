package dev.apistep.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated schemas of strings (with maxLength, enum), integers and numbers (with bounds), booleans and arrays:
 * arguments that keep the rules come back exactly (a quoted number as that number), and one value outside an enum,
 * over a length, out of bounds or of the wrong type is refused naming its field.
 */
class ArgumentPropertiesTest {

    /** Decimals as given (0.50 stays 0.50), as the project's JSON reader keeps them. */
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final String FIELD = "step.tool.parameters";

    /** What is sent for one field and what the variables must then hold. */
    record Given(JsonNode sent, JsonNode expected) {
        static Given same(JsonNode value) {
            return new Given(value, value);
        }
    }

    /** A value that breaks the field's rule. */
    record Bad(JsonNode value, String rule) {
    }

    /** One field of a generated schema. */
    interface Spec {
        ObjectNode schema();

        boolean required();

        Arbitrary<Given> valid();

        Arbitrary<Bad> invalid();
    }

    /** Its enum's values are three letters long, never over its maxLength. */
    record StringSpec(Integer maxLength, List<String> allowed, boolean required) implements Spec {
        public ObjectNode schema() {
            ObjectNode schema = NODES.objectNode().put("type", "string");
            if (maxLength != null) {
                schema.put("maxLength", maxLength);
            }
            if (allowed != null) {
                allowed.forEach(schema.putArray("enum")::add);
            }
            return schema;
        }

        public Arbitrary<Given> valid() {
            int longest = maxLength == null ? 40 : maxLength;
            Arbitrary<String> texts = allowed != null ? Arbitraries.of(allowed)
                    : Arbitraries.strings().all().ofMaxLength(longest).edgeCases(edges -> List.of("{secret:API_KEY}", "{order_id}")
                            .stream().filter(text -> text.length() <= longest).forEach(edges::add));
            return texts.map(text -> Given.same(NODES.textNode(text)));
        }

        public Arbitrary<Bad> invalid() {
            List<Arbitrary<Bad>> bad = new ArrayList<>(List.of(wrongType("a string")));
            if (allowed != null) {
                bad.add(Arbitraries.strings().alpha().ofLength(4).map(text -> new Bad(NODES.textNode(text), "must be one of ")));
            }
            if (maxLength != null && allowed == null) {
                bad.add(Arbitraries.strings().withCharRange(' ', '~').ofMinLength(maxLength + 1).ofMaxLength(maxLength + 5)
                        .map(text -> new Bad(NODES.textNode(text), "must be at most " + maxLength + " characters long")));
            }
            return Arbitraries.oneOf(bad);
        }
    }

    /** An integer, or a decimal of two places, within bounds; sent as a number or as its text. */
    record NumberSpec(boolean integer, int minimum, int maximum, boolean required) implements Spec {
        public ObjectNode schema() {
            return NODES.objectNode().put("type", integer ? "integer" : "number").put("minimum", minimum).put("maximum", maximum);
        }

        public Arbitrary<Given> valid() {
            Arbitrary<BigDecimal> values = integer ? Arbitraries.integers().between(minimum, maximum).map(BigDecimal::valueOf)
                    : Arbitraries.bigDecimals().between(BigDecimal.valueOf(minimum), BigDecimal.valueOf(maximum)).ofScale(2)
                            .map(decimal -> decimal.setScale(2)); // its edge cases (0) come unscaled
            return Combinators.combine(values, Arbitraries.of(true, false)).as((value, quoted) -> {
                JsonNode number = integer ? NODES.numberNode(value.intValueExact()) : NODES.numberNode(value);
                return new Given(quoted ? NODES.textNode(value.toPlainString()) : number, number);
            });
        }

        public Arbitrary<Bad> invalid() {
            return Arbitraries.oneOf(wrongType(integer ? "an integer" : "a number"),
                    Arbitraries.integers().between(maximum + 1, maximum + 1000)
                            .map(over -> new Bad(NODES.numberNode(over), "must be at most " + maximum)),
                    Arbitraries.of("abc", "1,5", "0x1F", " 7", "true")
                            .map(text -> new Bad(NODES.textNode(text), "must be " + (integer ? "an integer" : "a number") + ", got a string")));
        }
    }

    record BooleanSpec(boolean required) implements Spec {
        public ObjectNode schema() {
            return NODES.objectNode().put("type", "boolean");
        }

        public Arbitrary<Given> valid() {
            return Arbitraries.of(true, false).map(flag -> Given.same(NODES.booleanNode(flag)));
        }

        public Arbitrary<Bad> invalid() {
            return Arbitraries.oneOf(wrongType("a boolean"),
                    Arbitraries.of("true", "false").map(text -> new Bad(NODES.textNode(text), "must be a boolean, got a string")));
        }
    }

    record ArraySpec(int maxItems, boolean required) implements Spec {
        public ObjectNode schema() {
            ObjectNode schema = NODES.objectNode().put("type", "array").put("maxItems", maxItems);
            schema.putObject("items").put("type", "string");
            return schema;
        }

        public Arbitrary<Given> valid() {
            return Arbitraries.strings().ofMaxLength(8).list().ofMaxSize(maxItems)
                    .map(texts -> Given.same(NODES.arrayNode().addAll(texts.stream().<JsonNode>map(NODES::textNode).toList())));
        }

        public Arbitrary<Bad> invalid() {
            return Arbitraries.oneOf(wrongType("an array"), Arbitraries.integers().between(maxItems + 1, maxItems + 4)
                    .map(size -> new Bad(NODES.arrayNode().addAll(java.util.Collections.nCopies(size, NODES.textNode("a"))),
                            "must have at most " + maxItems + " item")));
        }
    }

    /** A value of another JSON type than {@code wanted}; its rule is the type's. */
    private static Arbitrary<Bad> wrongType(String wanted) {
        List<JsonNode> others = new ArrayList<>(List.of(NODES.objectNode().put("a", 1), NODES.nullNode()));
        if (!wanted.equals("a string")) {
            others.add(NODES.textNode("text"));
        }
        if (!wanted.equals("an integer") && !wanted.equals("a number")) {
            others.add(NODES.numberNode(7));
        }
        if (!wanted.equals("a boolean")) {
            others.add(NODES.booleanNode(true));
        }
        if (!wanted.equals("an array")) {
            others.add(NODES.arrayNode().add(1));
        }
        return Arbitraries.of(others).map(value -> new Bad(value, "must be " + wanted + ", got "));
    }

    /** A schema and one value for each of its fields, absent for some optional ones. */
    record Case(List<Spec> specs, List<Optional<Given>> values) {
        ObjectNode schema() {
            ObjectNode schema = NODES.objectNode().put("type", "object").put("additionalProperties", false);
            ObjectNode properties = schema.putObject("properties");
            var required = schema.putArray("required");
            for (int i = 0; i < specs.size(); i++) {
                properties.set(name(i), specs.get(i).schema());
                if (specs.get(i).required()) {
                    required.add(name(i));
                }
            }
            return ParameterSchema.check(schema, FIELD);
        }

        ObjectNode arguments(boolean expected) {
            ObjectNode arguments = NODES.objectNode();
            for (int i = 0; i < specs.size(); i++) {
                int at = i;
                values.get(i).ifPresent(given -> arguments.set(name(at), expected ? given.expected() : given.sent()));
            }
            return arguments;
        }

        static String name(int index) {
            return "p" + index;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Boolean> required = Arbitraries.of(true, false);
        Arbitrary<Spec> strings = Combinators.combine(Arbitraries.integers().between(3, 30).injectNull(0.4),
                Arbitraries.strings().alpha().ofLength(3).list().uniqueElements().ofMinSize(1).ofMaxSize(4).injectNull(0.6),
                required).as(StringSpec::new);
        Arbitrary<Spec> numbers = Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(-50, 50),
                Arbitraries.integers().between(0, 100), required)
                .as((integer, minimum, span, isRequired) -> new NumberSpec(integer, minimum, minimum + span, isRequired));
        Arbitrary<Spec> booleans = required.map(BooleanSpec::new);
        Arbitrary<Spec> arrays = Combinators.combine(Arbitraries.integers().between(0, 5), required).as(ArraySpec::new);
        return Arbitraries.oneOf(strings, numbers, booleans, arrays).list().ofMinSize(1).ofMaxSize(6).flatMap(specs -> {
            List<Arbitrary<Optional<Given>>> values = specs.stream()
                    .map(spec -> spec.required() ? spec.valid().map(Optional::of) : spec.valid().optional(0.7)).toList();
            return Combinators.combine(values).as(given -> new Case(specs, given));
        });
    }

    @Property(tries = 400)
    void argumentsThatKeepTheRulesAreExactlyTheVariables(@ForAll("cases") Case sample) {
        ObjectNode schema = sample.schema();
        ObjectNode variables = ArgumentValidator.validate(schema, sample.arguments(false), Deadline.afterMillis(5_000));
        assertEquals(sample.arguments(true), variables);
    }

    @Provide
    Arbitrary<Object[]> brokenCases() {
        return cases().flatMap(sample -> Arbitraries.integers().between(0, sample.specs().size() - 1)
                .flatMap(index -> sample.specs().get(index).invalid().map(bad -> new Object[] {sample, index, bad})));
    }

    @Property(tries = 400)
    void oneValueThatBreaksItsRuleIsRefusedNamingItsField(@ForAll("brokenCases") Object[] broken) {
        Case sample = (Case) broken[0];
        String name = Case.name((Integer) broken[1]);
        Bad bad = (Bad) broken[2];
        ObjectNode arguments = sample.arguments(false);
        arguments.set(name, bad.value());
        StepFailure failure = assertThrows(StepFailure.class,
                () -> ArgumentValidator.validate(sample.schema(), arguments, Deadline.afterMillis(5_000)));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, failure.error().code());
        assertEquals("arguments." + name, failure.error().reason(), failure.getMessage());
        assertTrue(failure.getMessage().startsWith(name + " " + bad.rule()), failure.getMessage() + " / expected " + bad.rule());
    }

    @Property(tries = 400)
    void aFieldTheSchemaDoesNotDeclareIsRefused(@ForAll("cases") Case sample) {
        ObjectNode arguments = sample.arguments(false);
        arguments.put("unknown", "x");
        StepFailure failure = assertThrows(StepFailure.class,
                () -> ArgumentValidator.validate(sample.schema(), arguments, Deadline.afterMillis(5_000)));
        assertEquals("arguments.unknown", failure.error().reason(), failure.getMessage());
        assertTrue(failure.getMessage().startsWith("unexpected field \"unknown\": this tool accepts p0"), failure.getMessage());
    }
}
