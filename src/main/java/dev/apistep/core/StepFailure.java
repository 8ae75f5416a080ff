package dev.apistep.core;

/** Thrown by any stage to end the step on the failure branch; turned into a result in one place. */
public final class StepFailure extends RuntimeException {

    private final StepError error;

    public StepFailure(ErrorCode code, String reason, String message) {
        this(StepError.of(code, reason, message));
    }

    public StepFailure(StepError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public StepError error() {
        return error;
    }

    public static StepFailure invalidStep(String field, String message) {
        return new StepFailure(ErrorCode.INVALID_STEP, field, message);
    }
}
