package dev.apistep.resilience;

import dev.apistep.core.Deadline;
import dev.apistep.core.Warnings;
import dev.apistep.egress.RedirectFollower;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.step.StepOptions;

/**
 * Sends a step's request with its resilience around it: retries (per the step's options) on the outside,
 * each attempt through its destination's circuit breaker, each following redirects; all within the
 * step's one deadline.
 */
public final class ResilientSender {

    private final Retries retries;
    private final CircuitBreakers breakers;
    private final RedirectFollower follower;

    public ResilientSender(Retries retries, CircuitBreakers breakers, RedirectFollower follower) {
        this.retries = retries;
        this.breakers = breakers;
        this.follower = follower;
    }

    /**
     * Files the step uploads from a URL are downloaded by each attempt as it sends them (a streamed body cannot
     * be replayed), through the same egress path and deadline.
     */
    public Attempts send(OutboundRequest request, StepOptions options, Deadline deadline, Warnings warnings) {
        RedirectFollower.Limits limits = new RedirectFollower.Limits(options.followRedirects(), options.maxRedirects(),
                options.maxResponseBytes(), options.maxUploadBytes());
        return retries.call(request, options.retry(), deadline,
                attempt -> breakers.call(attempt.uri(), () -> follower.send(attempt, limits, deadline, warnings)));
    }
}
