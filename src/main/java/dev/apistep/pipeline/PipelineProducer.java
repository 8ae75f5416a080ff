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
import dev.apistep.state.RedisStore;
import dev.apistep.state.SharedState;
import dev.apistep.state.SharedStore;
import dev.apistep.state.StoreRateLimiter;
import dev.apistep.state.StoreTimeouts;
import dev.apistep.template.RequestRenderer;
import dev.apistep.template.SecretStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The one place the stages are built and wired, from configuration read here. */
@Singleton
public class PipelineProducer {

    @Produces
    @Singleton
    DestinationPolicy destinationPolicy(StepConfig config) {
        return new DestinationPolicy(config.allowedDestinations().orElse(List.of()));
    }

    @Produces
    @Singleton
    HttpClients httpClients(@ConfigProperty(name = "quarkus.application.version") String version,
            DestinationPolicy destinations) {
        return new HttpClients(userAgent(version), destinations);
    }

    void closeHttpClients(@Disposes HttpClients clients) {
        clients.close();
    }

    @Produces
    @Singleton
    HttpSender httpSender(HttpClients clients) {
        return new HttpSender(clients);
    }

    void closeHttpSender(@Disposes HttpSender sender) {
        sender.close();
    }

    /** Every exchange of the function (steps, OAuth2 tokens, callbacks) goes through it: every hop is checked. */
    @Produces
    @Singleton
    RedirectFollower redirectFollower(StepConfig config, HttpSender sender, DestinationPolicy destinations) {
        return new RedirectFollower(sender, destinations, new SecretBindings(config.boundSecrets().orElse("")));
    }

    /**
     * The store chosen by {@code API_STEP_STATE}; only its client is created (the others' classes are not even
     * loaded), so a function on the default memory store pays nothing at start.
     */
    @Produces
    @Singleton
    SharedStore sharedStore(StepConfig config) {
        return switch (config.state()) {
            case MEMORY -> new MemoryStore();
            case REDIS -> new RedisStore(config.redis().url().filter(url -> !url.isBlank())
                    .orElseThrow(() -> new IllegalStateException("API_STEP_STATE=redis needs API_STEP_REDIS_URL")),
                    config.stateTimeout());
            case DYNAMODB -> dev.apistep.state.DynamoDbStore.create(config.dynamodb().table().filter(table -> !table.isBlank())
                    .orElseThrow(() -> new IllegalStateException("API_STEP_STATE=dynamodb needs API_STEP_DYNAMODB_TABLE")),
                    config.stateTimeout());
        };
    }

    /** The store's client is created and connected at start (Lambda's init phase), not in the first step's budget. */
    void startSharedStore(@Observes StartupEvent started, SharedStore store) {
        store.name();
    }

    void closeSharedStore(@Disposes SharedStore store) {
        store.close();
    }

    /** Where {@code {secret:NAME}} is read from: the environment, then the Parameters and Secrets extension. */
    public static SecretStore.Sources secretSources(StepConfig config) {
        return new SecretStore.Sources(System::getenv, Optional.of(config.secrets().extensionUrl()), config.secrets().ttl());
    }

    @Produces
    @Singleton
    StepPipeline stepPipeline(StepConfig config, ObjectMapper mapper, DestinationPolicy destinations, HttpClients clients,
            RedirectFollower follower, @ConfigProperty(name = "quarkus.application.version") String version,
            SharedStore store, ToolCatalogue catalogue) {
        // A step could otherwise send a token table (callers', MCP clients') anywhere by naming its secret in a template.
        SecretStore secrets = new SecretStore(secretSources(config), mapper, Stream.of(config.callers(), config.mcpTokens())
                .flatMap(Optional::stream).flatMap(text -> SecretStore.reference(text).stream()).collect(Collectors.toSet()));
        StoreTimeouts timeouts = new StoreTimeouts(config.stateTimeout());
        return new StepPipeline(
                new StepEventParser(),
                new RequestRenderer(mapper, userAgent(version), secrets),
                config.tracing().propagate() ? TraceHeader.fromLambdaRuntime() : new TraceHeader(() -> null),
                new Authenticator(new OAuth2Tokens(follower, mapper)),
                new RequestGuard(),
                clients,
                destinations,
                new RateLimits(new StoreRateLimiter(store, timeouts), new RateLimits.Settings(
                        config.rateLimit().perTenantPerMinute(), config.rateLimit().perDestinationPerMinute())),
                new ResilientSender(new Retries(), new CircuitBreakers(new CircuitBreakers.Settings(
                        config.circuitBreaker().requestVolumeThreshold(), config.circuitBreaker().failureRatio(),
                        config.circuitBreaker().delay(), config.circuitBreaker().successThreshold())), follower),
                new Capturer(mapper),
                new ResultAssembler(mapper),
                new StepLog(mapper, config.metrics().namespace(), config.metrics().service(), config.anonymousCallers()),
                mapper,
                new SharedState(new Idempotency(store, config.idempotency().ttl(), timeouts, mapper),
                        config.history().enabled() ? new RecentRuns(store, config.history().ttl(), timeouts, mapper) : null),
                catalogue);
    }

    /** The tools the deployment ships, read and checked at start: a bad entry stops the function, naming it. */
    @Produces
    @Singleton
    ToolCatalogue toolCatalogue(StepConfig config, ObjectMapper mapper) {
        return config.catalog().map(location -> ToolCatalogue.load(location, mapper, new StepEventParser()))
                .orElse(ToolCatalogue.EMPTY);
    }

    void loadToolCatalogue(@Observes StartupEvent started, ToolCatalogue catalogue) {
        catalogue.isEmpty();
    }

    /** The product's User-Agent, on steps that set none and on the function's own calls. */
    public static String userAgent(String version) {
        return "api-step/" + version;
    }
}
