package dev.apistep.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import dev.apistep.tool.ToolCall.Platform;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the tool calls of contract §8 from the envelopes the platforms send: an event's {@code toolCall} (one envelope
 * or a list of them), or a platform's own body posted as it is (a Vapi server message, an OpenAI or Anthropic call).
 */
public final class ToolCallEnvelopes {

    /** More calls in one event would not fit one invocation's deadline: they are answered without being run. */
    public static final int MAX_CALLS = 8;

    private ToolCallEnvelopes() {
    }

    /** What a batch of calls came in: one call, a list, or a Vapi server message (answered as {@code {"results"}}). */
    public enum Shape {
        ONE, LIST, VAPI_MESSAGE
    }

    public record Calls(Shape shape, List<ToolCall> calls) {
    }

    /** Whether {@code event}, which has no {@code step} or {@code toolCall} of its own, is a platform's body itself. */
    public static boolean isPlatformBody(JsonNode event) {
        return event != null && event.isObject() && !event.has("step") && !event.has("toolCall")
                && (isVapiMessage(event) || platformOf(event) != null);
    }

    /** The calls in an event's {@code toolCall} member, or in a platform's body. */
    public static Calls read(JsonNode envelope) {
        if (envelope == null || envelope.isMissingNode() || envelope.isNull()) {
            throw invalid("toolCall", "toolCall is required");
        }
        if (isVapiMessage(envelope)) {
            JsonNode list = envelope.path("message").path("toolCallList");
            if (!list.isArray()) {
                list = envelope.path("message").path("toolCalls");
            }
            return new Calls(Shape.VAPI_MESSAGE, each(list, "toolCall.message.toolCallList", Platform.VAPI));
        }
        if (envelope.isArray()) {
            return new Calls(Shape.LIST, each(envelope, "toolCall", null));
        }
        return new Calls(Shape.ONE, List.of(one(envelope, "toolCall", null)));
    }

    private static boolean isVapiMessage(JsonNode event) {
        JsonNode message = event.path("message");
        return message.isObject() && "tool-calls".equals(message.path("type").asText(null));
    }

    private static List<ToolCall> each(JsonNode list, String field, Platform platform) {
        if (!list.isArray() || list.isEmpty()) {
            throw invalid(field, field + " must be a non-empty list of tool calls");
        }
        List<ToolCall> calls = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            calls.add(one(list.get(i), field + "[" + i + "]", platform));
        }
        return calls;
    }

    /** {@code platform}: known from the enclosing message (Vapi), or null to tell by the call's own shape. */
    private static ToolCall one(JsonNode call, String field, Platform platform) {
        if (!call.isObject()) {
            throw invalid(field, field + " must be an object");
        }
        Platform of = platform != null ? platform : platformOf(call);
        if (of == null) {
            throw invalid(field, field + " is not a tool call of a known shape: an OpenAI tool_calls entry or"
                    + " function_call item, an Anthropic tool_use block, or a Vapi tool-calls message");
        }
        return switch (of) {
            case OPENAI_CHAT -> new ToolCall(of, text(call.get("id")), text(call.path("function").get("name")),
                    call.path("function").path("arguments"));
            case OPENAI_RESPONSES -> new ToolCall(of, text(call.has("call_id") ? call.get("call_id") : call.get("id")),
                    text(call.get("name")), call.path("arguments"));
            case ANTHROPIC -> new ToolCall(of, text(call.get("id")), text(call.get("name")), call.path("input"));
            // Vapi's entries have the Chat Completions shape; older ones put name and arguments at the top.
            case VAPI, MCP -> call.path("function").isObject()
                    ? new ToolCall(of, text(call.get("id")), text(call.path("function").get("name")),
                            call.path("function").path("arguments"))
                    : new ToolCall(of, text(call.get("id")), text(call.get("name")),
                            call.has("arguments") ? call.get("arguments") : call.path("parameters"));
        };
    }

    private static Platform platformOf(JsonNode call) {
        String type = call.path("type").asText("");
        if ("function".equals(type) && call.path("function").isObject()) {
            return Platform.OPENAI_CHAT;
        }
        if ("function_call".equals(type)) {
            return Platform.OPENAI_RESPONSES;
        }
        if ("tool_use".equals(type)) {
            return Platform.ANTHROPIC;
        }
        return null;
    }

    /** A call id or name as text; an absent one is empty (answered as a call of no known tool). */
    private static String text(JsonNode node) {
        return node == null || node.isNull() || node instanceof MissingNode || !node.isValueNode() ? "" : node.asText();
    }

    private static StepFailure invalid(String field, String message) {
        return new StepFailure(ErrorCode.INVALID_EVENT, field, message);
    }
}
