package dev.apistep.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.Fingerprint;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepFailure;
import dev.apistep.core.Warnings;
import dev.apistep.egress.RedirectFollower;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OAuth2 client-credentials tokens: fetched from the step's token URL through the same egress path as any
 * request (destination rules, deadline, size cap), cached per (token URL, client, scope, audience, secret)
 * across warm invocations until shortly before they expire. A token endpoint that fails, answers an error
 * or no token is {@code AUTH_FAILURE}; its answer never reaches a message.
 */
public final class OAuth2Tokens {

    /** A token is renewed this long before the expiry its endpoint announced. */
    static final long EXPIRY_MARGIN_MS = 30_000;
    /** When the endpoint does not say how long a token lives. */
    static final long DEFAULT_LIFETIME_MS = 300_000;
    /** Distinct client identities kept; the least recently used token is forgotten first. */
    static final int MAX_CACHED_TOKENS = 256;
    /** A token answer is small; anything bigger is not one. */
    static final long MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

    /** The request with its Authorization header, and whether that token came from the cache. */
    record Authorized(OutboundRequest request, boolean cached) {
    }

    private record Token(String value, long expiresAtMillis) {
    }

    private final RedirectFollower sender;
    private final ObjectMapper mapper;
    private final Map<String, Token> tokens = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Token> eldest) {
            return size() > MAX_CACHED_TOKENS;
        }
    };

    public OAuth2Tokens(RedirectFollower sender, ObjectMapper mapper) {
        this.sender = sender;
        this.mapper = mapper;
    }

    /** Adds the bearer token for {@code credentials} to the request; {@code renew} skips the cache. */
    Authorized authorize(OutboundRequest request, ClientCredentials credentials, Deadline deadline, Warnings warnings,
            boolean renew) {
        String key = key(credentials);
        Token token;
        synchronized (tokens) {
            token = renew ? null : tokens.get(key);
        }
        boolean cached = token != null && token.expiresAtMillis() > System.currentTimeMillis();
        if (!cached) {
            token = fetch(credentials, deadline, warnings);
            synchronized (tokens) {
                tokens.put(key, token);
            }
        }
        return new Authorized(request.withReplacedHeader("Authorization", "Bearer " + token.value()), cached);
    }

    private Token fetch(ClientCredentials credentials, Deadline deadline, Warnings warnings) {
        List<NameValue> fields = new ArrayList<>(List.of(new NameValue("grant_type", "client_credentials"),
                new NameValue("client_id", credentials.clientId()), new NameValue("client_secret", credentials.clientSecret())));
        if (credentials.scope() != null && !credentials.scope().isBlank()) {
            fields.add(new NameValue("scope", credentials.scope()));
        }
        if (credentials.audience() != null && !credentials.audience().isBlank()) {
            fields.add(new NameValue("audience", credentials.audience()));
        }
        OutboundRequest tokenRequest = new OutboundRequest("POST", credentials.tokenUrl(),
                List.of(new NameValue("Accept", "application/json"),
                        new NameValue("Content-Type", "application/x-www-form-urlencoded")),
                new RequestBody.Form(fields), null, credentials.secrets());
        String host = credentials.tokenUrl().getHost();
        HttpResponse response;
        try {
            response = sender.send(tokenRequest, new RedirectFollower.Limits(false, 0, MAX_TOKEN_RESPONSE_BYTES), deadline, warnings);
        } catch (StepFailure failure) {
            if (failure.error().code() == ErrorCode.BLOCKED_DESTINATION || failure.error().code() == ErrorCode.INVALID_STEP) {
                throw failure;
            }
            throw new StepFailure(ErrorCode.AUTH_FAILURE, "step.auth.tokenUrl",
                    "the token endpoint " + host + " could not be reached: " + failure.error().code());
        }
        if (response.status() < 200 || response.status() > 299) {
            throw new StepFailure(ErrorCode.AUTH_FAILURE, "step.auth.tokenUrl",
                    "the token endpoint " + host + " answered status " + response.status());
        }
        JsonNode answer;
        try {
            answer = mapper.readTree(response.body());
        } catch (IOException notJson) {
            answer = null;
        }
        String value = answer == null ? "" : answer.path("access_token").asText("");
        if (value.isBlank()) {
            throw new StepFailure(ErrorCode.AUTH_FAILURE, "step.auth.tokenUrl",
                    "the token endpoint " + host + " answered without an access_token");
        }
        if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // RFC 6750 §2.1: a bearer token is visible ASCII; anything else (CR, LF, NUL, spaces, non-ASCII) would
            // break or smuggle into the Authorization header.
            throw new StepFailure(ErrorCode.AUTH_FAILURE, "step.auth.tokenUrl",
                    "the token endpoint " + host + " answered an access_token that is not a valid header value");
        }
        long lifetime = answer.path("expires_in").canConvertToLong() && answer.path("expires_in").asLong() > 0
                ? answer.path("expires_in").asLong() * 1000 : DEFAULT_LIFETIME_MS;
        return new Token(value, System.currentTimeMillis() + Math.max(0, lifetime - EXPIRY_MARGIN_MS));
    }

    private static String key(ClientCredentials credentials) {
        return Fingerprint.of(credentials.tokenUrl().toString(), credentials.clientId(), credentials.clientSecret(),
                credentials.scope(), credentials.audience());
    }
}
