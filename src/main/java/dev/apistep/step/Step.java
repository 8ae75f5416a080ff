package dev.apistep.step;

import java.util.List;
import java.util.Objects;

/**
 * {@code step}: one API step of a flow, validated; {@code auth} and {@code tls} may be null,
 * {@code imported} is the cURL command the request came from, when it came from one, and {@code tool} what makes
 * the step a tool for a language model (contract §8), when it is one.
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
        CurlImport imported,
        ToolSpec tool) {

    public Step {
        Objects.requireNonNull(request, "request");
        capture = List.copyOf(capture);
        Objects.requireNonNull(options, "options");
        successTags = List.copyOf(successTags);
        failureTags = List.copyOf(failureTags);
    }
}
