package dev.apistep.read;

import static dev.apistep.read.EventReader.EVENT;
import static dev.apistep.read.EventReader.STEP;
import static dev.apistep.read.EventReader.absent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.step.HistoryQuery;

/**
 * The event's fields for state shared across instances (contract §6), read apart from the step: the
 * {@code idempotencyKey}, and the {@code history} mode's query (which carries no request).
 */
public final class StateFields {

    /** A longer key is refused: keys name stored records. */
    public static final int MAX_KEY_LENGTH = 256;

    private StateFields() {
    }

    /** Whether the event asks for recent runs ({@code "mode": "history"}, any case). */
    public static boolean isHistory(JsonNode event) {
        return event != null && event.isObject() && event.path("mode").isTextual()
                && "history".equalsIgnoreCase(event.get("mode").textValue().trim());
    }

    /** {@code step.id} (required) and {@code context.tenantId}. */
    public static HistoryQuery history(JsonNode event) {
        JsonNode step = event.get("step");
        if (absent(step)) {
            throw EVENT.fail("step", "is required");
        }
        EVENT.object(step, "step");
        String stepId = STEP.requiredString(step.get("id"), "step.id");
        JsonNode context = event.get("context");
        String tenantId = null;
        if (!absent(context)) {
            EVENT.object(context, "context");
            tenantId = EVENT.scalarText(context.get("tenantId"), "context.tenantId");
        }
        return new HistoryQuery(tenantId == null || tenantId.isBlank() ? null : tenantId, stepId);
    }

    /** The event's own {@code idempotencyKey}: a string or number, at most {@link #MAX_KEY_LENGTH}; null when absent. */
    public static String idempotencyKey(JsonNode event) {
        if (event == null || !event.isObject() || absent(event.get("idempotencyKey"))) {
            return null;
        }
        String key = EVENT.scalarText(event.get("idempotencyKey"), "idempotencyKey");
        if (key.isBlank()) {
            return null;
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw EVENT.fail("idempotencyKey", "is longer than " + MAX_KEY_LENGTH + " characters");
        }
        return key;
    }
}
