package dev.apistep.resilience;

/**
 * Counts calls against a per-minute allowance. The in-memory implementation counts per function instance;
 * one backed by a shared store (DynamoDB, Redis) can replace it without touching the stages.
 */
public interface RateLimiter {

    /** Takes one call from {@code key}'s allowance of {@code perMinute}; false when none is left. */
    boolean tryAcquire(String key, int perMinute);
}
