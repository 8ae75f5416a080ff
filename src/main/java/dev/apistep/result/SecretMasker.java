package dev.apistep.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.apistep.core.NameValue;
import dev.apistep.exchange.OutboundRequest;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Masks credentials in what a result shows of a request or response: credential headers, headers and
 * query parameters named like secrets, the names the step's own auth uses, and the values of the
 * secrets the step referenced, wherever they appear.
 */
public final class SecretMasker {

    public static final String MASK = "***";
    /**
     * Rounds of JSON unescaping a secret is looked for through: an echo's own string literals, and the
     * request body it echoes as one of them ({@code "data": "{\"token\": \"…\"}"}), escaped twice.
     */
    private static final int JSON_DECODINGS = 2;
    private static final Set<String> CREDENTIAL_HEADERS = Set.of(
            "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token");
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(token|secret|passw|pwd|key|signature|session|credential|auth).*");

    private static final Pattern CREDENTIAL_WORD = Pattern.compile("(?:.*[-_.])?(?:token|secret|password|passwd|pwd|"
            + "apikey|key|signature|sig|credentials?|auth|session|sessionid)(?:[-_.].*)?");

    private final Set<String> stepSecretNames;
    private final List<String> secretForms;
    /** A run of text shorter than this cannot hold a secret, however it is spelled. */
    private final int shortestForm;

    /**
     * {@code stepSecretNames}: header or parameter names the step's auth puts a secret in;
     * {@code secretValues}: values of {@code {secret:NAME}} references (and the OAuth2 client secret),
     * masked wherever they appear. Every auth value {@code request} carries is a secret value too, so that an API that echoes
     * the request (httpbin's /anything, debug endpoints) cannot show it in a response trace: the values of
     * the headers and query parameters masked by name, the credential of an {@code Authorization} header
     * without its scheme, and a Basic credential's decoded {@code user:pass} and password.
     */
    public SecretMasker(Set<String> stepSecretNames, Set<String> secretValues, OutboundRequest request) {
        Set<String> lower = new HashSet<>();
        stepSecretNames.forEach(name -> lower.add(name.toLowerCase(Locale.ROOT)));
        this.stepSecretNames = Set.copyOf(lower);
        Set<String> values = new HashSet<>(secretValues);
        if (request != null) {
            values.addAll(authValues(request));
        }
        Set<String> forms = new HashSet<>();
        for (String value : values) {
            if (!value.isEmpty()) {
                String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
                forms.addAll(List.of(value, encoded, encoded.replace("+", "%20")));
            }
        }
        // Every occurrence of every form is marked before any is masked, so no order among them matters.
        this.secretForms = List.copyOf(forms);
        this.shortestForm = forms.stream().mapToInt(String::length).min().orElse(Integer.MAX_VALUE);
    }

    private Set<String> authValues(OutboundRequest request) {
        Set<String> values = new HashSet<>();
        for (NameValue header : request.headers()) {
            if (isSecret(header.name())) {
                addCredential(header.value(), values);
            }
        }
        String query = request.uri().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && isSecret(decode(pair.substring(0, equals)))) {
                    values.add(decode(pair.substring(equals + 1)));
                }
            }
        }
        values.removeIf(value -> value == null || value.isBlank());
        return values;
    }

    /** A header value, and its credential without the scheme; a Basic one decoded as well. */
    private static void addCredential(String value, Set<String> values) {
        String trimmed = value.trim();
        values.add(trimmed);
        int space = trimmed.indexOf(' ');
        if (space <= 0) {
            return;
        }
        String credential = trimmed.substring(space + 1).trim();
        values.add(credential);
        if (trimmed.regionMatches(true, 0, "Basic", 0, space)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(credential), StandardCharsets.UTF_8);
                values.add(decoded);
                int colon = decoded.indexOf(':');
                if (colon >= 0) {
                    values.add(decoded.substring(colon + 1));
                }
            } catch (IllegalArgumentException notBase64) {
                // Sent as typed; the value itself is masked above.
            }
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
    }

    /**
     * Text with every form of every secret value replaced by the mask: as is, URL-encoded, and in any
     * spelling JSON allows (see {@link JsonEscapes}), the rest of the text left as it is written.
     */
    public String maskValues(String text) {
        if (text == null) {
            return null;
        }
        BitSet secret = new BitSet();
        markSecrets(text, JSON_DECODINGS, secret);
        if (secret.isEmpty()) {
            return text;
        }
        StringBuilder masked = new StringBuilder(text.length());
        int shown = 0;
        for (int from = secret.nextSetBit(0); from >= 0; from = secret.nextSetBit(shown)) {
            masked.append(text, shown, from).append(MASK);
            shown = secret.nextClearBit(from);
        }
        return masked.append(text, shown, text.length()).toString();
    }

    /**
     * Marks in {@code secret} the characters of {@code text} that spell a secret form, as written and after
     * each of {@code decodings} rounds of JSON unescaping.
     */
    private void markSecrets(String text, int decodings, BitSet secret) {
        if (text.length() < shortestForm) {
            return;
        }
        for (String form : secretForms) {
            for (int at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + form.length())) {
                secret.set(at, at + form.length());
            }
        }
        if (decodings > 0) {
            JsonEscapes.forEachEscapedRun(text, (start, end) -> {
                if (end - start < shortestForm) {
                    return; // decoded, it is no longer
                }
                BitSet inDecoded = new BitSet();
                markSecrets(JsonEscapes.decode(text, start, end), decodings - 1, inDecoded);
                if (!inDecoded.isEmpty()) {
                    JsonEscapes.markSpelling(text, start, end, inDecoded, secret);
                }
            });
        }
    }

    /**
     * A copy of {@code tree} whose every string (and every number whose text holds a secret) is masked as
     * {@link #maskValues} masks text: for values handed on whole, such as an MCP tool's structured content.
     */
    public JsonNode maskTree(JsonNode tree) {
        JsonNode copy = tree.deepCopy();
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(copy);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node instanceof ObjectNode object) {
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                for (String name : names) {
                    JsonNode masked = maskedLeaf(object.get(name));
                    if (masked != null) {
                        object.set(name, masked);
                    } else {
                        pending.push(object.get(name));
                    }
                }
            } else if (node instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    JsonNode masked = maskedLeaf(array.get(i));
                    if (masked != null) {
                        array.set(i, masked);
                    } else {
                        pending.push(array.get(i));
                    }
                }
            }
        }
        return copy;
    }

    /** The masked form of a string or number leaf that holds a secret; the leaf itself when it holds none; null otherwise. */
    private JsonNode maskedLeaf(JsonNode leaf) {
        if (!leaf.isTextual() && !leaf.isNumber()) {
            return leaf.isContainerNode() ? null : leaf;
        }
        String text = leaf.asText();
        String masked = maskValues(text);
        return masked.equals(text) ? leaf : TextNode.valueOf(masked);
    }

    public boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return CREDENTIAL_HEADERS.contains(lower) || stepSecretNames.contains(lower) || SECRET_NAME.matcher(lower).matches();
    }

    /**
     * A header or parameter name that carries a credential whatever the step ({@code Authorization}, {@code api_key},
     * {@code access_token}, {@code X-Api-Key}): a credential word as a whole word of the name, narrower than what
     * traces mask ({@code author} or {@code keyword} are not credentials), for checks that refuse or leave out.
     */
    public static boolean isCredentialName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return CREDENTIAL_HEADERS.contains(lower) || CREDENTIAL_WORD.matcher(lower).matches();
    }

    public List<NameValue> mask(List<NameValue> entries) {
        List<NameValue> masked = new ArrayList<>(entries.size());
        for (NameValue entry : entries) {
            masked.add(new NameValue(entry.name(), isSecret(entry.name()) ? MASK : maskValues(entry.value())));
        }
        return masked;
    }

    /** A raw query string with the values of secret-named parameters masked. */
    public String maskQuery(String rawQuery) {
        StringBuilder out = new StringBuilder(rawQuery.length());
        for (String pair : rawQuery.split("&", -1)) {
            if (out.length() > 0) {
                out.append('&');
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            out.append(equals >= 0 && isSecret(java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8))
                    ? name + "=" + MASK
                    : pair);
        }
        return out.toString();
    }
}
