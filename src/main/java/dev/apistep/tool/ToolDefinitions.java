package dev.apistep.tool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.step.ToolSpec;
import java.util.List;

/**
 * {@code mode: tools} (contract §8): the tools' definitions in the forms runtimes register with their model:
 * {@code openai} (Chat Completions {@code tools}), {@code openaiResponses}, {@code anthropic}, {@code mcp}
 * ({@code tools/list} entries) and {@code vapi} (a function tool with its spoken {@code messages}).
 */
public final class ToolDefinitions {

    private ToolDefinitions() {
    }

    /** One tool: its spec and the schemas it is registered with. */
    public record Definition(ToolSpec tool, ObjectNode inputSchema, ObjectNode outputSchema) {
    }

    public static ObjectNode of(List<Definition> definitions) {
        ObjectNode forms = JsonNodeFactory.instance.objectNode();
        ArrayNode openai = forms.putArray("openai");
        ArrayNode responses = forms.putArray("openaiResponses");
        ArrayNode anthropic = forms.putArray("anthropic");
        ArrayNode mcp = forms.putArray("mcp");
        ArrayNode vapi = forms.putArray("vapi");
        for (Definition definition : definitions) {
            ToolSpec tool = definition.tool();
            openai.addObject().put("type", "function").set("function", function(definition));
            responses.addObject().put("type", "function").put("name", tool.name())
                    .put("description", tool.description()).set("parameters", definition.inputSchema());
            anthropic.addObject().put("name", tool.name()).put("description", tool.description())
                    .set("input_schema", definition.inputSchema());
            ObjectNode listed = mcp.addObject().put("name", tool.name()).put("description", tool.description());
            listed.set("inputSchema", definition.inputSchema());
            listed.set("outputSchema", definition.outputSchema());
            ObjectNode voice = vapi.addObject().put("type", "function");
            voice.set("function", function(definition));
            voice.set("messages", vapiMessages(tool.messages()));
        }
        return forms;
    }

    private static ObjectNode function(Definition definition) {
        ObjectNode function = JsonNodeFactory.instance.objectNode().put("name", definition.tool().name())
                .put("description", definition.tool().description());
        function.set("parameters", definition.inputSchema());
        return function;
    }

    /** Vapi's tool messages: said at the start, after a delay, on completion and on failure (templates as written). */
    private static ArrayNode vapiMessages(ToolSpec.ToolMessages messages) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        if (messages.start() != null) {
            list.addObject().put("type", "request-start").put("content", messages.start());
        }
        if (messages.delayed() != null) {
            list.addObject().put("type", "request-response-delayed").put("content", messages.delayed())
                    .put("timingMilliseconds", messages.delayedAfterMs());
        }
        if (messages.complete() != null) {
            list.addObject().put("type", "request-complete").put("content", messages.complete());
        }
        if (messages.failed() != null) {
            list.addObject().put("type", "request-failed").put("content", messages.failed());
        }
        return list;
    }
}
