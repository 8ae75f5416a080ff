package dev.apistep.read;

import dev.apistep.core.NameValue;
import dev.apistep.result.SecretMasker;
import dev.apistep.step.Auth;
import dev.apistep.step.RequestTemplate;
import dev.apistep.step.TlsMaterial;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a step carries a credential, as templates by field: its auth's secret, its TLS key and key password, headers
 * and query parameters named like credentials ({@code Authorization}, {@code X-Api-Key}, {@code access_token}, in
 * {@code headers}, {@code query} or the URL), and the URL's user info. A catalogue takes each only by reference; a
 * tool's derived parameters never include their variables (contract §8).
 */
public final class Credentials {

    private Credentials() {
    }

    /** {@code auth} and {@code tls} may be null. */
    public static Map<String, String> of(RequestTemplate request, Auth auth, TlsMaterial tls) {
        Map<String, String> credentials = new LinkedHashMap<>();
        if (auth != null) {
            Map.Entry<String, String> credential = auth.match(new Auth.Cases<>() {
                public Map.Entry<String, String> basic(Auth.Basic basic) {
                    return Map.entry("step.auth.password", nullToEmpty(basic.password()));
                }

                public Map.Entry<String, String> bearer(Auth.Bearer bearer) {
                    return Map.entry("step.auth.token", nullToEmpty(bearer.token()));
                }

                public Map.Entry<String, String> apiKey(Auth.ApiKey apiKey) {
                    return Map.entry("step.auth.value", nullToEmpty(apiKey.value()));
                }

                public Map.Entry<String, String> oauth2(Auth.OAuth2 oauth2) {
                    return Map.entry("step.auth.clientSecret", nullToEmpty(oauth2.clientSecret()));
                }
            });
            credentials.put(credential.getKey(), credential.getValue());
        }
        if (tls != null) {
            credentials.put("step.tls.clientKey", tls.clientKey());
            credentials.put("step.tls.clientKeyPassword", tls.clientKeyPassword());
        }
        for (NameValue header : request.headers()) {
            if (SecretMasker.isCredentialName(header.name())) {
                credentials.put("step.request.headers." + header.name(), header.value());
            }
        }
        for (NameValue parameter : request.query()) {
            if (SecretMasker.isCredentialName(parameter.name())) {
                credentials.put("step.request.query." + parameter.name(), parameter.value());
            }
        }
        urlCredentials(request.url(), credentials);
        return credentials;
    }

    /** The URL's user info and its query parameters named like credentials, as written. */
    private static void urlCredentials(String url, Map<String, String> credentials) {
        int scheme = url.indexOf("://");
        int authorityEnd = scheme < 0 ? -1 : indexOfAny(url, "/?#", scheme + 3);
        String authority = scheme < 0 ? "" : url.substring(scheme + 3, authorityEnd < 0 ? url.length() : authorityEnd);
        if (authority.contains("@")) {
            credentials.put("step.request.url (user info)", authority.substring(0, authority.lastIndexOf('@')));
        }
        int query = url.indexOf('?');
        if (query < 0) {
            return;
        }
        int fragment = url.indexOf('#', query);
        for (String pair : url.substring(query + 1, fragment < 0 ? url.length() : fragment).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && SecretMasker.isCredentialName(pair.substring(0, equals))) {
                credentials.put("step.request.url (query " + pair.substring(0, equals) + ")", pair.substring(equals + 1));
            }
        }
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private static int indexOfAny(String text, String characters, int from) {
        for (int i = from; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
