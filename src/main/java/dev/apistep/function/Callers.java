package dev.apistep.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.pipeline.PipelineProducer;
import dev.apistep.pipeline.StepConfig;
import dev.apistep.template.SecretStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Who may call (contract §11): an HTTP request that no platform authenticated (container mode, a Function URL with
 * auth NONE) is admitted only with a bearer token from {@code API_STEP_CALLERS} ({@code {"<token>": "<tenant>" | "*"}},
 * as is or as a {@code {secret:NAME}} reference) or a valid Standard Webhooks signature; otherwise no step runs.
 * {@code API_STEP_ANONYMOUS_CALLERS=true} is the only way to admit everyone, and it is said at start and in every step
 * line. A token bound to a tenant fixes the event's tenant; {@code "*"} and a signature act for the event's tenant.
 */
@Singleton
public class Callers {

    private static final Logger LOG = Logger.getLogger(Callers.class);

    /** An admitted caller: {@code tenant} null for a platform credential (or anonymous), which acts for any tenant. */
    public record Caller(String tenant) {

        static final Caller PLATFORM = new Caller(null);

        /**
         * {@code event} as this caller may run it: a tenant-bound caller's tenant set in {@code context.tenantId};
         * throws {@link OtherTenant} when the event names another one, or is a trigger's envelope (those come from
         * the platform, not from one tenant's runtime).
         */
        public JsonNode bind(JsonNode event) {
            if (tenant == null || event == null || !event.isObject()) {
                return event;
            }
            if (TriggerEnvelopes.isEnvelope(event)) {
                throw new OtherTenant();
            }
            JsonNode named = event.path("context").path("tenantId");
            if (named.isTextual() && !named.textValue().isBlank() && !named.textValue().equals(tenant)) {
                throw new OtherTenant();
            }
            ObjectNode bound = ((ObjectNode) event).deepCopy();
            JsonNode context = bound.get("context");
            (context instanceof ObjectNode object ? object : bound.putObject("context")).put("tenantId", tenant);
            return bound;
        }
    }

    /** An event naming a tenant other than the one its credential is bound to: 403, nothing runs. */
    public static final class OtherTenant extends RuntimeException {
        OtherTenant() {
            super("the event names another tenant than the caller's credential", null, false, false);
        }
    }

    /** The answer to a request that is not admitted or names another tenant: no field of the event is read back. */
    public static final String REFUSED_BODY = "{\"error\":\"a bearer token from API_STEP_CALLERS or a Standard Webhooks"
            + " signature is required\"}";
    public static final String OTHER_TENANT_BODY = "{\"error\":\"the event names another tenant than the caller's credential\"}";

    private final boolean anonymous;
    private final TokenTable tokens;
    private final Webhooks webhooks;

    public Callers(StepConfig config, Webhooks webhooks, ObjectMapper mapper) {
        this.anonymous = config.anonymousCallers();
        // Its own secret store: the steps' one refuses this secret (PipelineProducer).
        this.tokens = new TokenTable("API_STEP_CALLERS", config.callers(), true,
                new SecretStore(PipelineProducer.secretSources(config), mapper), mapper);
        this.webhooks = webhooks;
    }

    void announce(@Observes StartupEvent started) {
        if (anonymous) {
            LOG.warn("API_STEP_ANONYMOUS_CALLERS=true: HTTP requests are admitted without a credential; anyone who"
                    + " reaches this function can use it and act for any tenant");
        }
    }

    /**
     * The caller of a request, or empty when it is not admitted. {@code header} gives a request header by name in any
     * case; {@code body} is the request's bytes (for the signature), null when unreadable. Every configured token is
     * compared, by its SHA-256 digest in constant time, whatever the presented one looks like. A configured webhook
     * secret is required even with anonymous callers (the operator asked for signatures).
     */
    public Optional<Caller> admit(UnaryOperator<String> header, byte[] body) {
        Optional<Caller> byHeaders = admitByHeaders(header);
        if (byHeaders.isPresent() || !admitsSignatures()) {
            return byHeaders;
        }
        return webhooks.admits(header, body) ? Optional.of(Caller.PLATFORM) : Optional.empty();
    }

    /**
     * The caller as the request's headers alone say (a token, or anonymous callers without a webhook secret): what a
     * binding checks before it reads a body, so that a request without a credential holds no slot and no buffer.
     */
    public Optional<Caller> admitByHeaders(UnaryOperator<String> header) {
        Optional<Caller> byToken = byToken(header.apply("Authorization"));
        if (byToken.isPresent()) {
            return byToken;
        }
        return anonymous && !admitsSignatures() ? Optional.of(Caller.PLATFORM) : Optional.empty();
    }

    /** Whether a request without a token may still be admitted by its signature, which needs its body. */
    public boolean admitsSignatures() {
        return webhooks.required();
    }

    private Optional<Caller> byToken(String authorization) {
        return tokens.tenantOf(authorization)
                .map(tenant -> tenant.equals(TokenTable.PLATFORM) ? Caller.PLATFORM : new Caller(tenant));
    }
}
