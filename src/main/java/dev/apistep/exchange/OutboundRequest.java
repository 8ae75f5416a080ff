package dev.apistep.exchange;

import dev.apistep.auth.ClientCredentials;
import dev.apistep.core.NameValue;
import dev.apistep.step.TlsMaterial;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request ready to send: method, absolute URL, headers in order (duplicates kept), body, the TLS
 * material of the step and its OAuth2 client credentials (each null when it has none), and the secrets
 * it carries.
 */
public record OutboundRequest(String method, URI uri, List<NameValue> headers, RequestBody body, TlsMaterial tls,
        ClientCredentials credentials, UsedSecrets secrets) {

    public OutboundRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(secrets, "secrets");
    }

    public OutboundRequest withUri(URI target) {
        return new OutboundRequest(method, target, headers, body, tls, credentials, secrets);
    }

    /** The same request as a body-less GET, as 303 and 301/302-after-POST redirects require. */
    public OutboundRequest asGet() {
        return new OutboundRequest("GET", uri, without(List.of("Content-Type")).headers(), RequestBody.NONE, tls,
                credentials, secrets);
    }

    /** Whether a header of this name is set (compared case-insensitively). */
    public boolean hasHeader(String name) {
        return headers.stream().anyMatch(header -> header.name().equalsIgnoreCase(name));
    }

    /** The same request with one more header, after the others. */
    public OutboundRequest withHeader(String name, String value) {
        List<NameValue> more = new ArrayList<>(headers);
        more.add(new NameValue(name, value));
        return new OutboundRequest(method, uri, more, body, tls, credentials, secrets);
    }

    /** The same request without the named headers (compared case-insensitively). */
    public OutboundRequest without(List<String> names) {
        List<NameValue> kept = new ArrayList<>();
        for (NameValue header : headers) {
            if (names.stream().noneMatch(header.name()::equalsIgnoreCase)) {
                kept.add(header);
            }
        }
        return new OutboundRequest(method, uri, kept, body, tls, credentials, secrets);
    }
}
