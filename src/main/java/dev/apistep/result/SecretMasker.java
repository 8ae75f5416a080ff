package dev.apistep.result;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.apistep.core.NameValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    private static final Set<String> CREDENTIAL_HEADERS = Set.of(
            "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token");
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(token|secret|passw|pwd|key|signature|session|credential|auth).*");

    private final Set<String> stepSecretNames;
    private final List<String> secretForms;

    /**
     * {@code stepSecretNames}: header or parameter names the step's auth puts a secret in;
     * {@code secretValues}: values of {@code {secret:NAME}} references, masked wherever they appear.
     */
    public SecretMasker(Set<String> stepSecretNames, Set<String> secretValues) {
        Set<String> lower = new HashSet<>();
        stepSecretNames.forEach(name -> lower.add(name.toLowerCase(Locale.ROOT)));
        this.stepSecretNames = Set.copyOf(lower);
        Set<String> forms = new HashSet<>();
        for (String value : secretValues) {
            if (!value.isEmpty()) {
                String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
                forms.addAll(List.of(value, encoded, encoded.replace("+", "%20"),
                        new String(JsonStringEncoder.getInstance().quoteAsString(value))));
            }
        }
        // Longest first, so that a value is masked whole before any shorter value inside it.
        this.secretForms = forms.stream().sorted((a, b) -> b.length() - a.length()).toList();
    }

    /** Text with every form of every secret value replaced by the mask. */
    public String maskValues(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String form : secretForms) {
            masked = masked.replace(form, MASK);
        }
        return masked;
    }

    public boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return CREDENTIAL_HEADERS.contains(lower) || stepSecretNames.contains(lower) || SECRET_NAME.matcher(lower).matches();
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
