package dev.apistep.step;

import java.util.Objects;

/** {@code mode: history}: whose runs of which step (contract §6); {@code tenantId} may be null. */
public record HistoryQuery(String tenantId, String stepId) {

    public HistoryQuery {
        Objects.requireNonNull(stepId, "stepId");
    }
}
