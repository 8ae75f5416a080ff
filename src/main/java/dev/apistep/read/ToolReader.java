package dev.apistep.read;

import static dev.apistep.read.EventReader.STEP;
import static dev.apistep.read.EventReader.absent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.step.ToolSpec;
import dev.apistep.step.ToolSpec.ToolMessages;
import dev.apistep.template.Template;
import dev.apistep.tool.ParameterSchema;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code step.tool} (contract §8), and the variables the step's request uses, from which parameters are derived. */
final class ToolReader {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final int MAX_DESCRIPTION_CHARS = 4000;
    static final int MAX_RESULT_CHARS = 100_000;

    private ToolReader() {
    }

    /**
     * Null when the step has no {@code tool}. {@code step}: the raw step, whose request is walked for variables;
     * {@code credentials}: where the parsed step carries a credential ({@link Credentials}), whose variables are left out.
     */
    static ToolSpec read(JsonNode tool, JsonNode step, Map<String, String> credentials) {
        if (absent(tool)) {
            return null;
        }
        STEP.object(tool, "step.tool");
        String name = STEP.requiredString(tool.get("name"), "step.tool.name");
        if (!NAME.matcher(name).matches()) {
            throw STEP.fail("step.tool.name", "must be 1 to 64 letters, digits, _ or -");
        }
        String description = STEP.requiredString(tool.get("description"), "step.tool.description");
        if (description.length() > MAX_DESCRIPTION_CHARS) {
            throw STEP.fail("step.tool.description", "is longer than " + MAX_DESCRIPTION_CHARS + " characters");
        }
        ObjectNode parameters = absent(tool.get("parameters")) ? null
                : ParameterSchema.check(tool.get("parameters"), "step.tool.parameters");
        return new ToolSpec(name, description, parameters, templateVariables(step, credentials),
                spoken(tool.get("result"), "step.tool.result"), messages(tool.get("messages")),
                (int) STEP.integer(tool.get("maxResultChars"), "step.tool.maxResultChars",
                        ToolSpec.DEFAULT_MAX_RESULT_CHARS, 1, MAX_RESULT_CHARS));
    }

    private static ToolMessages messages(JsonNode messages) {
        if (absent(messages)) {
            return ToolMessages.NONE;
        }
        STEP.object(messages, "step.tool.messages");
        Long afterMs = null;
        String delayed = null;
        JsonNode delay = messages.get("delayed");
        if (!absent(delay)) {
            STEP.object(delay, "step.tool.messages.delayed");
            afterMs = STEP.integer(delay.get("afterMs"), "step.tool.messages.delayed.afterMs", 2000, 0, 60_000);
            delayed = STEP.requiredString(delay.get("text"), "step.tool.messages.delayed.text");
            refuseSecrets(delayed, "step.tool.messages.delayed.text");
        }
        return new ToolMessages(spoken(messages.get("start"), "step.tool.messages.start"), afterMs, delayed,
                spoken(messages.get("complete"), "step.tool.messages.complete"),
                spoken(messages.get("failed"), "step.tool.messages.failed"));
    }

    /** A template a model or a caller hears: it may name variables, never a secret. */
    private static String spoken(JsonNode node, String field) {
        String text = STEP.string(node, field, null);
        if (text != null) {
            refuseSecrets(text, field);
        }
        return text;
    }

    private static void refuseSecrets(String template, String field) {
        for (Template.Part part : Template.parse(template).parts()) {
            if (part instanceof Template.Placeholder placeholder && placeholder.secret()) {
                throw STEP.fail(field, "names a secret, which would be said to the model or the caller");
            }
        }
    }

    /**
     * The root names of the variables the request's templates use (every string and object key under it), in order
     * of first use, less those that carry a credential: every variable of auth and TLS, and those of the places
     * {@code credentials} lists. A model is never asked for a credential: the caller binds those. Secrets are not
     * variables.
     */
    static List<String> templateVariables(JsonNode step, Map<String, String> credentials) {
        Set<String> names = namesUnder(step.path("request"));
        names.removeAll(namesUnder(step.path("auth")));
        names.removeAll(namesUnder(step.path("tls")));
        credentials.values().forEach(template -> {
            Set<String> used = new LinkedHashSet<>();
            addNames(template == null ? "" : template, used);
            names.removeAll(used);
        });
        return List.copyOf(names);
    }

    private static Set<String> namesUnder(JsonNode root) {
        Set<String> names = new LinkedHashSet<>();
        Deque<JsonNode> pending = new ArrayDeque<>();
        if (!root.isMissingNode()) {
            pending.addLast(root);
        }
        while (!pending.isEmpty()) {
            JsonNode node = pending.removeFirst();
            if (node.isTextual()) {
                addNames(node.textValue(), names);
            } else if (node.isObject()) {
                var fields = node.fields();
                List<JsonNode> children = new ArrayList<>();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    addNames(field.getKey(), names);
                    children.add(field.getValue());
                }
                java.util.Collections.reverse(children);
                children.forEach(pending::addFirst);
            } else if (node.isArray()) {
                List<JsonNode> children = new ArrayList<>();
                node.forEach(children::add);
                java.util.Collections.reverse(children);
                children.forEach(pending::addFirst);
            }
        }
        return names;
    }

    private static void addNames(String text, Set<String> names) {
        if (text.indexOf('{') < 0) {
            return;
        }
        for (Template.Part part : Template.parse(text).parts()) {
            if (part instanceof Template.Placeholder placeholder && !placeholder.secret()) {
                names.add(Template.rootOf(placeholder.path()));
            }
        }
    }
}
