package dev.apistep.step;

/**
 * {@code step.options.retry}. POST and PATCH are retried only when {@code retryNonIdempotent} says the
 * server tolerates it; they then carry one Idempotency-Key for all attempts.
 */
public record RetryOptions(int maxAttempts, long initialDelayMs, long maxDelayMs, boolean retryNonIdempotent) {

    public static final int MAX_ATTEMPTS = 5;
    public static final long DEFAULT_INITIAL_DELAY_MS = 200;
    public static final long DEFAULT_MAX_DELAY_MS = 5_000;
    public static final RetryOptions NONE = new RetryOptions(1, DEFAULT_INITIAL_DELAY_MS, DEFAULT_MAX_DELAY_MS, false);
}
