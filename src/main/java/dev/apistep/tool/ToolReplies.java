package dev.apistep.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A tool's answer in the shape of the platform that called it (contract §8): OpenAI Chat Completions
 * {@code {"role": "tool", "tool_call_id", "content"}}, Responses {@code {"type": "function_call_output", "call_id",
 * "output"}}, Anthropic {@code {"type": "tool_result", "tool_use_id", "content", "is_error"}}, Vapi
 * {@code {"results": [{"toolCallId", "result"}]}}. Beside the platform's own members, and only when there is
 * something to say: {@code messages} (what a voice runtime says) and, in test and render modes, {@code result} (the full step
 * result); a runtime that forwards the answer to its model takes the platform's members.
 */
public final class ToolReplies {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ToolReplies() {
    }

    /** One call's reply; {@code fullResult} is null unless asked for (test mode). */
    public record Reply(ToolCall call, ToolAnswer answer, JsonNode fullResult) {
    }

    /** The replies in the shape the calls came in: one, a list of them, or Vapi's {@code results}. */
    public static JsonNode answer(ToolCallEnvelopes.Shape shape, List<Reply> replies) {
        return switch (shape) {
            case ONE -> reply(replies.get(0));
            case LIST -> {
                ArrayNode list = JSON.arrayNode();
                replies.forEach(reply -> list.add(reply(reply)));
                yield list;
            }
            case VAPI_MESSAGE -> {
                ObjectNode body = JSON.objectNode();
                ArrayNode results = body.putArray("results");
                for (Reply reply : replies) {
                    ObjectNode entry = results.addObject().put("name", reply.call().name())
                            .put("toolCallId", reply.call().id()).put("result", reply.answer().text());
                    extras(entry, reply);
                }
                yield body;
            }
        };
    }

    private static ObjectNode reply(Reply reply) {
        ToolCall call = reply.call();
        ToolAnswer answer = reply.answer();
        ObjectNode shaped = JSON.objectNode();
        switch (call.platform()) {
            case OPENAI_CHAT -> shaped.put("role", "tool").put("tool_call_id", call.id()).put("content", answer.text());
            case OPENAI_RESPONSES -> shaped.put("type", "function_call_output").put("call_id", call.id())
                    .put("output", answer.text());
            case ANTHROPIC -> shaped.put("type", "tool_result").put("tool_use_id", call.id())
                    .put("content", answer.text()).put("is_error", answer.isError());
            case VAPI -> shaped.put("name", call.name()).put("toolCallId", call.id()).put("result", answer.text());
            case MCP -> shaped.put("text", answer.text()).put("isError", answer.isError());
        }
        return extras(shaped, reply);
    }

    private static ObjectNode extras(ObjectNode shaped, Reply reply) {
        if (reply.answer().messages() != null) {
            shaped.set("messages", reply.answer().messages());
        }
        if (reply.fullResult() != null) {
            shaped.set("result", reply.fullResult());
        }
        return shaped;
    }
}
