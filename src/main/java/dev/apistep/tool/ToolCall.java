package dev.apistep.tool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One call of a tool by a model, as a platform delivered it: its {@code id} (the platform's call id, echoed in the
 * answer), the tool's {@code name}, and its {@code arguments} as sent (an object, or the JSON text OpenAI sends).
 */
public record ToolCall(Platform platform, String id, String name, JsonNode arguments) {

    /** The envelopes of contract §8, each answered in its own shape (see {@link ToolReplies}). */
    public enum Platform {
        /** Chat Completions {@code tool_calls} entry: {@code {"id", "type": "function", "function": {"name", "arguments"}}}. */
        OPENAI_CHAT,
        /** Responses {@code function_call} item: {@code {"type": "function_call", "call_id", "name", "arguments"}}. */
        OPENAI_RESPONSES,
        /** Messages {@code tool_use} block: {@code {"type": "tool_use", "id", "name", "input"}}. */
        ANTHROPIC,
        /** A {@code tool-calls} server message's {@code toolCallList} entry. */
        VAPI,
        /** MCP's {@code tools/call}, answered by the MCP server itself (container mode's {@code /mcp}). */
        MCP
    }
}
