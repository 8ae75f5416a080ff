package dev.apistep.template;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a {@code json} body. In a template string, a placeholder inside a string literal gets the
 * value's text JSON-escaped, and one outside gets the value as JSON (a string quoted, a number, an
 * object...). In a JSON value, every string is such a string literal. The result must parse as JSON.
 */
public final class JsonBodyRenderer {

    static final String FIELD = "step.request.body.content";

    private final TemplateRenderer renderer;
    private final ObjectMapper mapper;

    /** {@code mapper} is configured by {@link dev.apistep.core.LosslessJson}: strict about trailing text. */
    public JsonBodyRenderer(TemplateRenderer renderer, ObjectMapper mapper) {
        this.renderer = renderer;
        this.mapper = mapper;
    }

    /** The body text exactly as it will be sent. */
    public String render(JsonNode content) {
        String rendered = content.isTextual() ? renderTemplate(content.textValue()) : renderValue(content).toString();
        try {
            JsonNode parsed = mapper.readTree(rendered);
            if (parsed == null || parsed.isMissingNode()) {
                throw new StepFailure(ErrorCode.INVALID_BODY, FIELD, FIELD + " is empty once rendered");
            }
        } catch (IOException e) {
            throw new StepFailure(ErrorCode.INVALID_BODY, FIELD,
                    FIELD + " is not valid JSON once rendered (line " + lineOf(e) + ")");
        }
        return rendered;
    }

    private String renderTemplate(String template) {
        StringBuilder out = new StringBuilder(template.length() + 32);
        boolean inString = false;
        boolean escaped = false;
        for (Template.Part part : Template.parse(template).parts()) {
            if (part instanceof Template.Literal literal) {
                String text = literal.text();
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if (escaped) {
                        escaped = false;
                    } else if (inString && c == '\\') {
                        escaped = true;
                    } else if (c == '"') {
                        inString = !inString;
                    }
                }
                out.append(text);
            } else if (part instanceof Template.Placeholder placeholder) {
                escaped = false;
                Optional<JsonNode> value = renderer.resolve(placeholder, FIELD, false);
                if (value.isEmpty()) {
                    out.append(placeholder.raw());
                } else if (inString) {
                    out.append(JsonStringEncoder.getInstance().quoteAsString(ValueText.text(value.get())));
                } else {
                    out.append(value.get().toString());
                }
            }
        }
        return out.toString();
    }

    private JsonNode renderValue(JsonNode node) {
        if (node.isTextual()) {
            return JsonNodeFactory.instance.textNode(renderer.text(node.textValue(), FIELD));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(renderer.text(field.getKey(), FIELD), renderValue(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(renderValue(element)));
            return copy;
        }
        return node;
    }

    private static int lineOf(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException parse && parse.getLocation() != null
                ? parse.getLocation().getLineNr()
                : 1;
    }
}
