package dev.apistep.step;

import dev.apistep.core.NameValue;
import java.util.List;
import java.util.Objects;

/** {@code step.request}: what to send, every string a template. */
public record RequestTemplate(
        String method, String url, List<NameValue> headers, List<NameValue> query, BodyTemplate body) {

    public RequestTemplate {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        headers = List.copyOf(headers);
        query = List.copyOf(query);
        Objects.requireNonNull(body, "body");
    }
}
