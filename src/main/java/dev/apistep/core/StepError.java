package dev.apistep.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * The {@code error} of a result. {@code reason} is the finer cause (the field at fault for INVALID_STEP,
 * the TLS cause for TLS_FAILURE). Messages name fields and hosts, never secrets or resolved addresses.
 */
public record StepError(
        ErrorCode code,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
        String message,
        boolean retryable) {

    public StepError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /**
     * An event that is not JSON at all, or is past the JSON limits: no field of it can be named. {@code fault}
     * says which, in this project's words (see {@code LosslessJson.fault}).
     */
    public static StepError unreadableEvent(String fault) {
        return of(ErrorCode.INVALID_EVENT, "event", fault);
    }

    public static StepError of(ErrorCode code, String reason, String message) {
        return new StepError(code, reason, message, code.retryable());
    }
}
