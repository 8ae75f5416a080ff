package dev.apistep.core;

/** The contract's error codes; {@code retryable} says whether the same step may succeed if run again. */
public enum ErrorCode {
    INVALID_EVENT(false),
    INVALID_STEP(false),
    /** A tool call's arguments do not satisfy the tool's parameters (contract §8): nothing was sent. */
    INVALID_ARGUMENTS(false),
    UNRESOLVED_VARIABLE(false),
    INVALID_BODY(false),
    BLOCKED_DESTINATION(false),
    DNS_FAILURE(true),
    CONNECT_FAILURE(true),
    TLS_FAILURE(false),
    TIMEOUT(true),
    HTTP_STATUS(false),
    RESPONSE_TOO_LARGE(false),
    CIRCUIT_OPEN(true),
    RATE_LIMITED(true),
    AUTH_FAILURE(false),
    /** The same idempotency key is still running, or the shared store could not say whether it ran (contract §6). */
    IN_PROGRESS(true),
    INTERNAL(false);

    private final boolean retryable;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
