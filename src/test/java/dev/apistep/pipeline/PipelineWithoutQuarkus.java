package dev.apistep.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.auth.Authenticator;
import dev.apistep.auth.OAuth2Tokens;
import dev.apistep.capture.Capturer;
import dev.apistep.destination.DestinationPolicy;
import dev.apistep.destination.RequestGuard;
import dev.apistep.destination.SecretBindings;
import dev.apistep.egress.HttpClients;
import dev.apistep.egress.HttpSender;
import dev.apistep.egress.RedirectFollower;
import dev.apistep.egress.TraceHeader;
import dev.apistep.read.StepEventParser;
import dev.apistep.resilience.CircuitBreakers;
import dev.apistep.resilience.RateLimits;
import dev.apistep.resilience.ResilientSender;
import dev.apistep.resilience.Retries;
import dev.apistep.result.ResultAssembler;
import dev.apistep.state.Idempotency;
import dev.apistep.state.MemoryStore;
import dev.apistep.state.RecentRuns;
import dev.apistep.state.SharedState;
import dev.apistep.state.StoreRateLimiter;
import dev.apistep.state.StoreTimeouts;
import dev.apistep.template.RequestRenderer;
import dev.apistep.template.SecretStore;
import java.time.Duration;
import java.util.Optional;

/**
 * The stages wired as {@link PipelineProducer} wires them, for tests that run whole steps without Quarkus: the
 * memory store, recent runs on, generous limits, no secrets from the environment. Here because {@link StepLog}
 * is this package's own.
 */
public final class PipelineWithoutQuarkus {

    private PipelineWithoutQuarkus() {
    }

    public static StepPipeline build(ObjectMapper json, HttpClients clients, DestinationPolicy destinations) {
        RedirectFollower follower = new RedirectFollower(new HttpSender(clients), destinations, new SecretBindings(""));
        MemoryStore store = new MemoryStore();
        StoreTimeouts timeouts = new StoreTimeouts(Duration.ofSeconds(1));
        return new StepPipeline(
                new StepEventParser(),
                new RequestRenderer(json, "api-step/test", new SecretStore(
                        new SecretStore.Sources(name -> null, Optional.empty(), Duration.ofMinutes(5)), json)),
                new TraceHeader(() -> null),
                new Authenticator(new OAuth2Tokens(follower, json)),
                new RequestGuard(),
                clients,
                destinations,
                new RateLimits(new StoreRateLimiter(store, timeouts), new RateLimits.Settings(100_000, 100_000)),
                new ResilientSender(new Retries(), new CircuitBreakers(new CircuitBreakers.Settings(
                        1_000, 0.5, Duration.ofSeconds(5), 1)), follower),
                new Capturer(json),
                new ResultAssembler(json),
                new StepLog(json, "ApiStepTest", "api-step", false),
                json,
                new SharedState(new Idempotency(store, Duration.ofHours(1), timeouts, json),
                        new RecentRuns(store, Duration.ofHours(1), timeouts, json)),
                ToolCatalogue.EMPTY);
    }
}
