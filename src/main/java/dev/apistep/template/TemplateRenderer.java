package dev.apistep.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import dev.apistep.core.Warnings;
import dev.apistep.exchange.UsedSecrets;
import dev.apistep.step.UnresolvedPolicy;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Renders templates against the conversation's variables. Each caller says how literal text and values
 * are encoded where they land; the renderer applies the {@code unresolvedVariables} policy the same way
 * everywhere.
 */
public final class TemplateRenderer {

    /** Longer placeholders are cut in warnings and errors. */
    private static final int MAX_SHOWN_PATH = 200;

    private final Variables variables;
    private final UnresolvedPolicy policy;
    private final Warnings warnings;
    private final SecretStore secrets;
    private final Set<String> secretNames = new LinkedHashSet<>();
    private final Set<String> secretValues = new LinkedHashSet<>();

    public TemplateRenderer(Variables variables, UnresolvedPolicy policy, Warnings warnings, SecretStore secrets) {
        this.variables = variables;
        this.policy = policy;
        this.warnings = warnings;
        this.secrets = secrets;
    }

    /** The secrets this renderer has put into what it rendered. */
    public UsedSecrets usedSecrets() {
        return new UsedSecrets(secretNames, secretValues);
    }

    /** Plain text, inserted as is: header values, form fields, text bodies, auth strings. */
    public String text(String template, String field) {
        return render(template, field, Function.identity(), ValueText::text, false);
    }

    String render(String template, String field, Function<String, String> literal,
            Function<JsonNode, String> value, boolean holeForbidden) {
        StringBuilder out = new StringBuilder(template.length() + 16);
        for (Template.Part part : Template.parse(template).parts()) {
            if (part instanceof Template.Literal text) {
                out.append(literal.apply(text.text()));
            } else if (part instanceof Template.Placeholder placeholder) {
                Optional<JsonNode> resolved = resolve(placeholder, field, holeForbidden);
                out.append(resolved.isPresent() ? value.apply(resolved.get()) : literal.apply(placeholder.raw()));
            }
        }
        return out.toString();
    }

    /**
     * The placeholder's value; empty when it is to be left as written; a null node when the policy
     * empties it. Fails when the policy, or the place ({@code holeForbidden}), allows no hole.
     */
    Optional<JsonNode> resolve(Template.Placeholder placeholder, String field, boolean holeForbidden) {
        if (placeholder.secret()) {
            String secret = secrets.resolve(placeholder.path());
            secretNames.add(placeholder.path());
            secretValues.add(secret);
            return Optional.of(TextNode.valueOf(secret));
        }
        Optional<JsonNode> value = variables.lookup(placeholder.path());
        if (value.isPresent()) {
            return value;
        }
        if (holeForbidden || policy == UnresolvedPolicy.ERROR) {
            throw new StepFailure(ErrorCode.UNRESOLVED_VARIABLE, field,
                    "variable '" + shown(placeholder.path()) + "' used in " + field + " is not defined");
        }
        if (policy == UnresolvedPolicy.EMPTY) {
            warnings.add("variable '" + shown(placeholder.path()) + "' used in " + field + " is not defined; it was left empty");
            return Optional.of(NullNode.getInstance());
        }
        warnings.add("variable '" + shown(placeholder.path()) + "' used in " + field + " is not defined; "
                + shown(placeholder.raw()) + " was left as written");
        return Optional.empty();
    }

    /** A path as a message shows it: a hostile one thousands of segments long is cut, not repeated whole. */
    private static String shown(String text) {
        return text.length() <= MAX_SHOWN_PATH ? text : text.substring(0, MAX_SHOWN_PATH) + "...";
    }
}
