package dev.apistep.resilience;

import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import dev.apistep.egress.TransportFailures;
import dev.apistep.step.RetryOptions;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One step's retry decisions: whether a failure is worth another attempt, and after how long. The delay
 * is exponential with full jitter, or the server's Retry-After; a retry whose delay would leave the step
 * less than {@link #MIN_ATTEMPT_MS} of its deadline is not started. SmallRye asks {@link #shouldRetry}
 * first, then {@link #nextDelayInMillis}, which returns the delay that decision was made with.
 */
final class RetryDecisions implements CustomBackoffStrategy {

    /** Less time than this left after the wait is not worth a new attempt. */
    static final long MIN_ATTEMPT_MS = 100;
    private static final Set<ErrorCode> RETRYABLE_FAILURES = Set.of(ErrorCode.CONNECT_FAILURE, ErrorCode.TIMEOUT);

    private final RetryOptions options;
    private final Deadline deadline;
    private final boolean onlyWhenNothingWasSent;
    private int retries;
    private long nextDelayMs;
    private long refusedWaitMs = -1;

    /** {@code onlyWhenNothingWasSent}: retry only connections that were never made (a non-idempotent request). */
    RetryDecisions(RetryOptions options, Deadline deadline, boolean onlyWhenNothingWasSent) {
        this.options = options;
        this.deadline = deadline;
        this.onlyWhenNothingWasSent = onlyWhenNothingWasSent;
    }

    boolean shouldRetry(Throwable failure) {
        boolean notConnected = failure instanceof StepFailure stepFailure
                && TransportFailures.NOT_CONNECTED.equals(stepFailure.error().reason());
        boolean retryable = onlyWhenNothingWasSent ? notConnected : failure instanceof ResponseAsFailure
                || (failure instanceof StepFailure stepFailure && RETRYABLE_FAILURES.contains(stepFailure.error().code()));
        if (!retryable) {
            return false;
        }
        OptionalLong retryAfter = failure instanceof ResponseAsFailure status
                ? retryAfterMillis(status.response().header("Retry-After").orElse(null))
                : OptionalLong.empty();
        long delay = retryAfter.isPresent() ? retryAfter.getAsLong() : backoff(retries);
        if (delay + MIN_ATTEMPT_MS > deadline.remainingMillis()) {
            if (retryAfter.isPresent()) {
                refusedWaitMs = delay;
            }
            return false;
        }
        nextDelayMs = delay;
        retries++;
        return true;
    }

    /** The wait the server asked for and the deadline could not afford, when that is why retrying stopped. */
    OptionalLong refusedWait() {
        return refusedWaitMs < 0 ? OptionalLong.empty() : OptionalLong.of(refusedWaitMs);
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        return nextDelayMs;
    }

    /** Full jitter: a uniform wait up to the exponential bound, so that many failing callers spread out. */
    private long backoff(int retry) {
        long bound = Math.min(options.maxDelayMs(), options.initialDelayMs() << Math.min(retry, 20));
        return bound <= 0 ? 0 : RandomSource.upTo(bound);
    }

    /** Retry-After in seconds or as an HTTP date; empty when absent or unreadable. */
    static OptionalLong retryAfterMillis(String header) {
        if (header == null || header.isBlank()) {
            return OptionalLong.empty();
        }
        String value = header.trim();
        try {
            return OptionalLong.of(Math.max(0, Long.parseLong(value)) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                return OptionalLong.of(Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis()));
            } catch (DateTimeParseException notDate) {
                return OptionalLong.empty();
            }
        }
    }
}
