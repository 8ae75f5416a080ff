package dev.apistep.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.StepFailure;
import dev.apistep.tool.ToolCallEnvelopes;

/**
 * An event read once, before anything runs, into what the pipeline branches on: its {@code kind}, the
 * {@code variables} (whatever else is wrong with it, so none is lost), its idempotency key and, for a tool call, the
 * calls. A field that is present but malformed is kept as {@code fault}, which the branch reports on its failure
 * branch; reading never throws.
 */
public record InboundEvent(JsonNode raw, Kind kind, ObjectNode variables, String idempotencyKey,
        ToolCallEnvelopes.Calls toolCalls, StepFailure fault) {

    public enum Kind {
        /** A step to run, test, render or import. */
        STEP,
        /** {@code mode: history} (contract §6). */
        HISTORY,
        /** {@code mode: tools}: the tools' definitions (contract §8). */
        TOOLS,
        /** A model's call of a tool: {@code toolCall}, or a platform's own body (contract §8). */
        TOOL_CALL
    }

    /** The names of the event's variables: those the caller binds, which a tool call's arguments cannot set. */
    public java.util.Set<String> variableNames() {
        java.util.Set<String> names = new java.util.HashSet<>();
        variables.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public static InboundEvent read(JsonNode raw) {
        ObjectNode variables = StepEventParser.variablesOf(raw);
        String mode = raw != null && raw.isObject() && raw.path("mode").isTextual()
                ? raw.get("mode").textValue().trim() : "";
        boolean platformBody = ToolCallEnvelopes.isPlatformBody(raw);
        Kind kind = "history".equalsIgnoreCase(mode) ? Kind.HISTORY
                : "tools".equalsIgnoreCase(mode) ? Kind.TOOLS
                : raw != null && raw.isObject() && raw.has("toolCall") || platformBody ? Kind.TOOL_CALL
                : Kind.STEP;
        String key = null;
        ToolCallEnvelopes.Calls calls = null;
        try {
            key = kind == Kind.STEP ? StateFields.idempotencyKey(raw) : null;
            if (kind == Kind.TOOL_CALL) {
                calls = ToolCallEnvelopes.read(platformBody ? raw : raw.get("toolCall"));
            }
        } catch (StepFailure malformed) {
            return new InboundEvent(raw, kind, variables, null, null, malformed);
        }
        return new InboundEvent(raw, kind, variables, key, calls, null);
    }
}
