package dev.apistep.state;

/**
 * The features kept in the configured store, as the pipeline uses them: idempotent delivery and, when
 * enabled, recent runs ({@code recentRuns} null when off).
 */
public record SharedState(Idempotency idempotency, RecentRuns recentRuns) {
}
