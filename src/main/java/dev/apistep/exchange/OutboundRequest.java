package dev.apistep.exchange;

import dev.apistep.core.NameValue;
import dev.apistep.step.TlsMaterial;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request ready to send: method, absolute URL, headers in order (duplicates kept), body, the TLS
 * material of the step (null when it has none), and the secrets it carries.
 */
public record OutboundRequest(String method, URI uri, List<NameValue> headers, RequestBody body, TlsMaterial tls,
        UsedSecrets secrets) {

    public OutboundRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(secrets, "secrets");
    }

    public OutboundRequest withUri(URI target) {
        return new OutboundRequest(method, target, headers, body, tls, secrets);
    }

    /** The same request as a body-less GET, as 303 and 301/302-after-POST redirects require. */
    public OutboundRequest asGet() {
        return new OutboundRequest("GET", uri, without(List.of("Content-Type")).headers(), RequestBody.NONE, tls, secrets);
    }

    /** The same request, also carrying {@code more} secrets. */
    public OutboundRequest withSecrets(UsedSecrets more) {
        return new OutboundRequest(method, uri, headers, body, tls, secrets.and(more));
    }

    /** The same request with one header set: any of that name (compared case-insensitively) replaced, it last. */
    public OutboundRequest withReplacedHeader(String name, String value) {
        return without(List.of(name)).withHeader(name, value);
    }

    /** Whether a header of this name is set (compared case-insensitively). */
    public boolean hasHeader(String name) {
        return headers.stream().anyMatch(header -> header.name().equalsIgnoreCase(name));
    }

    /** The same request with one more header, after the others. */
    public OutboundRequest withHeader(String name, String value) {
        List<NameValue> more = new ArrayList<>(headers);
        more.add(new NameValue(name, value));
        return new OutboundRequest(method, uri, more, body, tls, secrets);
    }

    /** The same request without the named headers (compared case-insensitively). */
    public OutboundRequest without(List<String> names) {
        List<NameValue> kept = new ArrayList<>();
        for (NameValue header : headers) {
            if (names.stream().noneMatch(header.name()::equalsIgnoreCase)) {
                kept.add(header);
            }
        }
        return new OutboundRequest(method, uri, kept, body, tls, secrets);
    }
}
