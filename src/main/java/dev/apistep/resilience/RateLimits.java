package dev.apistep.resilience;

import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import dev.apistep.core.StoreUnavailableException;
import dev.apistep.core.Warnings;
import java.net.URI;
import org.jboss.logging.Logger;

/**
 * The rate-limit stage: each step that sends counts once against its tenant's allowance
 * ({@code context.tenantId}, when given) and its destination's (scheme, host, port). Past either, the step
 * fails with {@code RATE_LIMITED} before anything is sent. Counted in the configured store (contract §6):
 * when a shared store cannot be reached, the step goes on (fail open) with a warning.
 */
public final class RateLimits {

    private static final Logger LOG = Logger.getLogger(RateLimits.class);

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
        acquire(tenantId, destination, null, new Warnings());
    }

    /** Within the step's {@code deadline}; a store that does not answer adds a warning and admits the step. */
    public void acquire(String tenantId, URI destination, Deadline deadline, Warnings warnings) {
        try {
            limit(tenantId, destination, deadline);
        } catch (StoreUnavailableException down) {
            LOG.warnf("rate limits: the store did not answer (%s); the step is admitted", down.getMessage());
            warnings.add(StoreUnavailableException.warning("the rate limits"));
        }
    }

    private void limit(String tenantId, URI destination, Deadline deadline) {
        if (tenantId != null && settings.perTenantPerMinute() > 0
                && !limiter.tryAcquire("tenant:" + tenantId, settings.perTenantPerMinute(), deadline)) {
            throw new StepFailure(ErrorCode.RATE_LIMITED, null, "this tenant's limit of "
                    + settings.perTenantPerMinute() + " calls per minute is reached");
        }
        if (settings.perDestinationPerMinute() > 0
                && !limiter.tryAcquire("destination:" + CircuitBreakers.key(destination), settings.perDestinationPerMinute(),
                        deadline)) {
            throw new StepFailure(ErrorCode.RATE_LIMITED, null, "the limit of " + settings.perDestinationPerMinute()
                    + " calls per minute to " + destination.getHost() + " is reached");
        }
    }
}
