package dev.apistep.resilience;

import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import java.net.URI;

/**
 * The rate-limit stage: each step that sends counts once against its tenant's allowance
 * ({@code context.tenantId}, when given) and its destination's (scheme, host, port). Past either, the step
 * fails with {@code RATE_LIMITED} before anything is sent.
 */
public final class RateLimits {

    /** Allowances from configuration; 0 turns a limit off. */
    public record Settings(int perTenantPerMinute, int perDestinationPerMinute) {
    }

    private final RateLimiter limiter;
    private final Settings settings;

    public RateLimits(RateLimiter limiter, Settings settings) {
        this.limiter = limiter;
        this.settings = settings;
    }

    public void acquire(String tenantId, URI destination) {
        if (tenantId != null && settings.perTenantPerMinute() > 0
                && !limiter.tryAcquire("tenant:" + tenantId, settings.perTenantPerMinute())) {
            throw new StepFailure(ErrorCode.RATE_LIMITED, null, "this tenant's limit of "
                    + settings.perTenantPerMinute() + " calls per minute is reached");
        }
        if (settings.perDestinationPerMinute() > 0
                && !limiter.tryAcquire("destination:" + CircuitBreakers.key(destination), settings.perDestinationPerMinute())) {
            throw new StepFailure(ErrorCode.RATE_LIMITED, null, "the limit of " + settings.perDestinationPerMinute()
                    + " calls per minute to " + destination.getHost() + " is reached");
        }
    }
}
