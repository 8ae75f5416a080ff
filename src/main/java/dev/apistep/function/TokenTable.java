package dev.apistep.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.template.SecretStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Bearer tokens and the tenant each acts for, from an operator's variable ({@code API_STEP_CALLERS},
 * {@code API_STEP_MCP_TOKENS}): a JSON object {@code {"<token>": "<tenant id>"}} given as is or as a
 * {@code {secret:NAME}} reference. Given as is, a broken table stops start-up; a reference is read (and checked) when
 * a request needs it, again when its text changes (a rotated secret), and admits no one while it cannot be read.
 * Tokens are kept as SHA-256 digests and every one is compared in constant time, whatever the presented one looks
 * like; no message names a token.
 */
public final class TokenTable {

    /** The tenant of a platform credential, which acts for any tenant (where the table allows it). */
    public static final String PLATFORM = "*";

    private static final Logger LOG = Logger.getLogger(TokenTable.class);
    private static final Pattern BEARER = Pattern.compile("(?i)bearer +(\\S+) *");
    /** Far above any token an operator makes; a longer header is not looked up (it cannot match). */
    private static final int MAX_TOKEN_LENGTH = 4096;

    private final String variable;
    private final boolean platformTokens;
    private final Optional<String> configured;
    private final SecretStore secrets;
    private final ObjectMapper mapper;
    /** The last table read, with the text it was read from. */
    private volatile Read last;

    private record Read(String text, Map<byte[], String> tenants) {
    }

    /**
     * {@code variable} names the table in messages; {@code platformTokens} whether {@code "*"} may stand for a tenant;
     * {@code secrets} resolves a reference (a store of its own: the steps' one refuses these secrets).
     */
    public TokenTable(String variable, Optional<String> configured, boolean platformTokens, SecretStore secrets,
            ObjectMapper mapper) {
        this.variable = variable;
        this.platformTokens = platformTokens;
        this.configured = configured.filter(text -> !text.isBlank());
        this.secrets = secrets;
        this.mapper = mapper;
        this.configured.filter(text -> SecretStore.reference(text).isEmpty()).ifPresent(this::read);
    }

    /** Whether the operator gave a table at all. */
    public boolean configured() {
        return configured.isPresent();
    }

    /** The tenant ({@link #PLATFORM} for a platform credential) an {@code Authorization} header's bearer token acts for. */
    public Optional<String> tenantOf(String authorization) {
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
        return Optional.ofNullable(found);
    }

    /** The table, digest → tenant; a reference is resolved through the secret store (which caches it). */
    private Map<byte[], String> tokens() {
        String text = configured.get().trim();
        Optional<String> reference = SecretStore.reference(text);
        if (reference.isEmpty()) {
            return read(text);
        }
        try {
            return read(secrets.resolve(reference.get()));
        } catch (IllegalStateException notATable) {
            // Fail closed. The message is this class's own (it names an entry by position, never a token).
            LOG.errorf("%s: the secret %s is not a token table (%s); no token is admitted", variable, reference.get(),
                    notATable.getMessage());
            return Map.of();
        } catch (RuntimeException unavailable) {
            LOG.errorf("%s: the secret %s cannot be read; no token is admitted", variable, reference.get());
            return Map.of();
        }
    }

    private Map<byte[], String> read(String text) {
        Read previous = last;
        if (previous != null && previous.text().equals(text)) {
            return previous.tenants();
        }
        Map<byte[], String> tenants = parse(text);
        last = new Read(text, tenants);
        return tenants;
    }

    private Map<byte[], String> parse(String text) {
        String shape = variable + " must be a non-empty JSON object {\"<token>\": \"<tenant id>\""
                + (platformTokens ? " | \"*\"}" : "}");
        JsonNode table;
        try {
            table = mapper.readTree(text);
        } catch (IOException notJson) {
            throw new IllegalStateException(shape);
        }
        if (table == null || !table.isObject() || table.isEmpty()) {
            throw new IllegalStateException(shape);
        }
        List<Map.Entry<byte[], String>> entries = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = table.fields();
        int index = 0;
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            // Named by position: the token itself never reaches a message.
            String where = variable + " entry " + (++index);
            if (field.getKey().isBlank() || field.getKey().length() > MAX_TOKEN_LENGTH || !BEARER.matcher("Bearer " + field.getKey()).matches()) {
                throw new IllegalStateException(where + ": a token is 1-" + MAX_TOKEN_LENGTH + " characters without spaces");
            }
            JsonNode tenant = field.getValue();
            if (!tenant.isTextual() || tenant.textValue().isBlank() || (!platformTokens && tenant.textValue().equals(PLATFORM))) {
                throw new IllegalStateException(where + ": the tenant must be a tenant id" + (platformTokens ? " or \"*\"" : ""));
            }
            entries.add(Map.entry(digest(field.getKey()), tenant.textValue()));
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
