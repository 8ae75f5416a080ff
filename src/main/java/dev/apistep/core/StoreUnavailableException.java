package dev.apistep.core;

/**
 * The shared store (contract §6) did not answer in time or at all. Rate limits and recent runs go on
 * without it (a warning says so, with {@link #WARNING_PREFIX}, and the step's log line counts it);
 * idempotent delivery refuses to run the step ({@code IN_PROGRESS}, retryable).
 */
public final class StoreUnavailableException extends RuntimeException {

    /** Every warning about the store starts with this: the log line's {@code storeFailures} counts them. */
    public static final String WARNING_PREFIX = "the shared store ";

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** The warning for a feature that went on without the store. */
    public static String warning(String feature) {
        return WARNING_PREFIX + "could not be reached: " + feature + " went on without it";
    }
}
