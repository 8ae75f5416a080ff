package dev.apistep.resilience;

import dev.apistep.core.Deadline;

/**
 * Counts calls against a per-minute allowance, in the store the operator chose (state/, contract §6): this
 * instance's memory by default, or a shared store that counts across instances and throws {@link dev.apistep.core.StoreUnavailableException} when its store does not answer.
 */
public interface RateLimiter {

    /** Takes one call from {@code key}'s allowance of {@code perMinute}; false when none is left. */
    boolean tryAcquire(String key, int perMinute);

    /** The same, asking a shared store no longer than the step's {@code deadline} allows. */
    default boolean tryAcquire(String key, int perMinute, Deadline deadline) {
        return tryAcquire(key, perMinute);
    }
}
