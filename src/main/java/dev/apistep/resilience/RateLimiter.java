package dev.apistep.resilience;

import dev.apistep.core.Deadline;

/**
 * Counts calls against a per-minute allowance. The in-memory implementation counts per function instance;
 * one backed by the shared store (state/, contract §6) counts across instances without touching the stages,
 * and throws {@link dev.apistep.core.StoreUnavailableException} when its store does not answer.
 */
public interface RateLimiter {

    /** Takes one call from {@code key}'s allowance of {@code perMinute}; false when none is left. */
    boolean tryAcquire(String key, int perMinute);

    /** The same, asking a shared store no longer than the step's {@code deadline} allows. */
    default boolean tryAcquire(String key, int perMinute, Deadline deadline) {
        return tryAcquire(key, perMinute);
    }
}
