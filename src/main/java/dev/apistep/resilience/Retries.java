package dev.apistep.resilience;

import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.RetryableStatuses;
import dev.apistep.core.StepError;
import dev.apistep.core.StepFailure;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.step.RetryOptions;
import io.smallrye.faulttolerance.api.TypedGuard;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The retry stage, on SmallRye Fault Tolerance: repeats an exchange on connect failures, timeouts and
 * the statuses that say "try again later", for idempotent methods or when the step opts in; any method
 * is retried when its connection was never made (nothing was sent). All within the step's one deadline.
 */
public final class Retries {

    private static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");
    /** The guard's own duration limit stays out of the way: the step's Deadline decides. */
    private static final long GUARD_MAX_DURATION_MS = 120_000;

    public Attempts call(OutboundRequest request, RetryOptions options, Deadline deadline,
            Function<OutboundRequest, HttpResponse> exchange) {
        boolean idempotent = IDEMPOTENT_METHODS.contains(request.method());
        if (options.maxAttempts() == 1) {
            try {
                return new Attempts(exchange.apply(request), null, 1);
            } catch (StepFailure failure) {
                return new Attempts(null, failure.error(), 1);
            }
        }
        boolean optedIn = idempotent || options.retryNonIdempotent();
        OutboundRequest sent = idempotent || !optedIn ? request : withIdempotencyKey(request);
        RetryDecisions decisions = new RetryDecisions(options, deadline, !optedIn);
        TypedGuard<HttpResponse> guard = TypedGuard.create(HttpResponse.class)
                .withRetry()
                .maxRetries(options.maxAttempts() - 1)
                .maxDuration(GUARD_MAX_DURATION_MS, ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .whenException(decisions::shouldRetry)
                .withCustomBackoff().strategy(() -> decisions).done()
                .done()
                .build();
        AtomicInteger attempts = new AtomicInteger();
        try {
            return new Attempts(guard.call(() -> {
                attempts.incrementAndGet();
                HttpResponse response = exchange.apply(sent);
                if (RetryableStatuses.contains(response.status())) {
                    throw new ResponseAsFailure(response);
                }
                return response;
            }), null, attempts.get());
        } catch (ResponseAsFailure last) {
            return new Attempts(last.response(), rateLimited(last.response(), decisions), attempts.get());
        } catch (StepFailure failure) {
            return new Attempts(null, failure.error(), attempts.get());
        } catch (Exception unexpected) {
            return new Attempts(null, StepError.of(ErrorCode.INTERNAL, null, "the retry of the step failed unexpectedly"),
                    attempts.get());
        }
    }

    /**
     * A 429 whose Retry-After the deadline cannot wait for is RATE_LIMITED, with the wait in the message;
     * any other last status is left to the result stage.
     */
    private static StepError rateLimited(HttpResponse response, RetryDecisions decisions) {
        if (response.status() != 429 || decisions.refusedWait().isEmpty()) {
            return null;
        }
        long seconds = (decisions.refusedWait().getAsLong() + 999) / 1000;
        return StepError.of(ErrorCode.RATE_LIMITED, null, response.uri().getHost() + " asked to retry after " + seconds
                + " s, which does not fit in the step's time limit");
    }

    /** One key for every attempt, so the server can tell a retry from a new request; the step's own key wins. */
    private static OutboundRequest withIdempotencyKey(OutboundRequest request) {
        return request.hasHeader("Idempotency-Key") ? request
                : request.withHeader("Idempotency-Key", RandomSource.uuid().toString());
    }
}
