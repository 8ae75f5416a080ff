package dev.apistep.step;

import dev.apistep.step.CurlImport;
import java.util.List;
import java.util.Objects;

/**
 * {@code step}: one API step of a flow, validated; {@code auth} and {@code tls} may be null, and
 * {@code imported} is the cURL command the request came from, when it came from one.
 */
public record Step(
        String id,
        RequestTemplate request,
        Auth auth,
        TlsMaterial tls,
        List<Capture> capture,
        StepOptions options,
        List<String> successTags,
        List<String> failureTags,
        CurlImport imported) {

    public Step {
        Objects.requireNonNull(request, "request");
        capture = List.copyOf(capture);
        Objects.requireNonNull(options, "options");
        successTags = List.copyOf(successTags);
        failureTags = List.copyOf(failureTags);
    }
}
