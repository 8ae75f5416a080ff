package dev.apistep.state;

import dev.apistep.core.Deadline;
import java.time.Duration;

/**
 * How long one store call may take: the configured bound ({@code API_STEP_STATE_TIMEOUT}), and never past the
 * step's deadline; calls made after the step (keeping its result, its run) get what is left of the answer's
 * margin, at least a little.
 */
public record StoreTimeouts(Duration bound) {

    private static final long FLOOR_MS = 20;

    /** For calls before or during the step. */
    public long within(Deadline deadline) {
        return Math.max(1, Math.min(bound.toMillis(), deadline == null ? bound.toMillis() : deadline.remainingMillis()));
    }

    /** For calls once the step is done: its deadline may have passed, the invocation's answer margin has not. */
    public long after(Deadline deadline) {
        long left = deadline == null ? bound.toMillis() : deadline.remainingMillis() + Deadline.ANSWER_MARGIN_MS / 2;
        return Math.max(FLOOR_MS, Math.min(bound.toMillis(), left));
    }
}
