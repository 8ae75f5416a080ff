package dev.apistep.result;

import dev.apistep.step.NameValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Masks credentials in what a result shows of a request or response: credential headers, headers and
 * query parameters named like secrets, and the names the step's own auth uses.
 */
public final class SecretMasker {

    public static final String MASK = "***";
    private static final Set<String> CREDENTIAL_HEADERS = Set.of(
            "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token");
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(token|secret|passw|pwd|key|signature|session|credential|auth).*");

    private final Set<String> stepSecretNames;

    /** {@code stepSecretNames}: header or parameter names the step's auth puts a secret in. */
    public SecretMasker(Set<String> stepSecretNames) {
        Set<String> lower = new HashSet<>();
        stepSecretNames.forEach(name -> lower.add(name.toLowerCase(Locale.ROOT)));
        this.stepSecretNames = Set.copyOf(lower);
    }

    public boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return CREDENTIAL_HEADERS.contains(lower) || stepSecretNames.contains(lower) || SECRET_NAME.matcher(lower).matches();
    }

    public List<NameValue> mask(List<NameValue> entries) {
        List<NameValue> masked = new ArrayList<>(entries.size());
        for (NameValue entry : entries) {
            masked.add(isSecret(entry.name()) ? new NameValue(entry.name(), MASK) : entry);
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
