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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern BEARER = Pattern.compile("(?i)bearer +(\\S+) *");
    /** Far above any token an operator makes; a longer header is not looked up (it cannot match). */
    private static final int MAX_TOKEN_LENGTH = 4096;
    private static final String PLATFORM = "*";

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
    private final Optional<String> configured;
    private final Webhooks webhooks;
    private final SecretStore secrets;
    private final ObjectMapper mapper;
    /** The last table read, with the text it was read from (a secret's text changes when it is rotated). */
    private volatile TokenTable table;

    private record TokenTable(String text, Map<byte[], String> tenants) {
    }

    public Callers(StepConfig config, Webhooks webhooks, ObjectMapper mapper) {
        this.anonymous = config.anonymousCallers();
        this.configured = config.callers().filter(text -> !text.isBlank());
        this.webhooks = webhooks;
        // Its own store: the steps' one refuses this secret (PipelineProducer).
        this.secrets = new SecretStore(PipelineProducer.secretSources(config), mapper);
        this.mapper = mapper;
        // Given as is, a broken table stops start-up; a reference is read (and checked) when a request needs it.
        configured.filter(text -> SecretStore.reference(text).isEmpty()).ifPresent(this::read);
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
        if (authorization == null || authorization.length() > MAX_TOKEN_LENGTH + 16 || configured.isEmpty()) {
            return Optional.empty();
        }
        Matcher bearer = BEARER.matcher(authorization);
        if (!bearer.matches()) {
            return Optional.empty();
        }
        byte[] presented = digest(bearer.group(1));
        String found = null;
        for (Map.Entry<byte[], String> entry : tokens().entrySet()) {
            if (MessageDigest.isEqual(presented, entry.getKey())) {
                found = entry.getValue();
            }
        }
        return found == null ? Optional.empty() : Optional.of(found.equals(PLATFORM) ? Caller.PLATFORM : new Caller(found));
    }

    /** The token table, digest → tenant; a reference is resolved through the secret store (which caches it). */
    private Map<byte[], String> tokens() {
        String text = configured.get().trim();
        Optional<String> reference = SecretStore.reference(text);
        if (reference.isEmpty()) {
            return read(text);
        }
        try {
            return read(secrets.resolve(reference.get()));
        } catch (IllegalStateException notATable) {
            // Fail closed: no caller is admitted by token while the table cannot be read. The message is this
            // class's own (it names an entry by position, never a token).
            LOG.errorf("API_STEP_CALLERS: the secret %s is not a token table (%s); no token is admitted",
                    reference.get(), notATable.getMessage());
            return Map.of();
        } catch (RuntimeException unavailable) {
            LOG.errorf("API_STEP_CALLERS: the secret %s cannot be read; no token is admitted", reference.get());
            return Map.of();
        }
    }

    private Map<byte[], String> read(String text) {
        TokenTable last = table;
        if (last != null && last.text().equals(text)) {
            return last.tenants();
        }
        Map<byte[], String> tenants = parse(text);
        table = new TokenTable(text, tenants);
        return tenants;
    }

    private Map<byte[], String> parse(String text) {
        JsonNode table;
        try {
            table = mapper.readTree(text);
        } catch (IOException notJson) {
            throw new IllegalStateException("API_STEP_CALLERS must be a JSON object {\"<token>\": \"<tenant id>\" | \"*\"}");
        }
        if (table == null || !table.isObject() || table.isEmpty()) {
            throw new IllegalStateException("API_STEP_CALLERS must be a non-empty JSON object {\"<token>\": \"<tenant id>\" | \"*\"}");
        }
        List<Map.Entry<byte[], String>> entries = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = table.fields();
        int index = 0;
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            // Named by position: the token itself never reaches a message.
            String where = "API_STEP_CALLERS entry " + (++index);
            if (field.getKey().isBlank() || field.getKey().length() > MAX_TOKEN_LENGTH || !BEARER.matcher("Bearer " + field.getKey()).matches()) {
                throw new IllegalStateException(where + ": a token is 1-" + MAX_TOKEN_LENGTH + " characters without spaces");
            }
            if (!field.getValue().isTextual() || field.getValue().textValue().isBlank()) {
                throw new IllegalStateException(where + ": the tenant must be a tenant id or \"*\"");
            }
            entries.add(Map.entry(digest(field.getKey()), field.getValue().textValue()));
        }
        return Map.ofEntries(entries.toArray(Map.Entry[]::new));
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("SHA-256 is part of every JDK", missing);
        }
    }
}
