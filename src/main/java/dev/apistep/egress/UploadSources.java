package dev.apistep.egress;

import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.NameValue;
import dev.apistep.core.RetryableStatuses;
import dev.apistep.core.StepError;
import dev.apistep.core.StepFailure;
import dev.apistep.core.Warnings;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import dev.apistep.exchange.UsedSecrets;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Downloads the files a step uploads from a URL (contract §5: file parts and binary bodies with {@code url}),
 * through the same egress path as the step's own call: every hop passes the destination check (redirects
 * followed, at most {@link #MAX_REDIRECTS}), within the step's one deadline, and the bytes stop at what is
 * left of {@code maxUploadBytes}. The bytes are held in memory once downloaded (bounded by that cap), then
 * written into the request.
 */
public final class UploadSources {

    private static final int MAX_REDIRECTS = 5;

    private final RedirectFollower follower;

    public UploadSources(RedirectFollower follower) {
        this.follower = follower;
    }

    /** The request with every source downloaded; the request itself when it has none. */
    public OutboundRequest resolve(OutboundRequest request, long maxUploadBytes, Deadline deadline, Warnings warnings) {
        RequestBody body = request.body();
        if (!body.hasSources()) {
            return request;
        }
        long[] left = {maxUploadBytes - body.uploadSize()};
        String userAgent = request.headers().stream().filter(header -> header.name().equalsIgnoreCase("User-Agent"))
                .map(NameValue::value).findFirst().orElse(null);
        if (body instanceof RequestBody.Binary binary) {
            HttpResponse file = download(binary.source(), binary.sourceSecrets(), left, userAgent, deadline, warnings,
                    "step.request.body.url");
            return new OutboundRequest(request.method(), request.uri(), request.headers(),
                    new RequestBody.Binary(file.body(), binary.mediaType() != null ? binary.mediaType() : mediaType(file)),
                    request.tls(), request.secrets());
        }
        RequestBody.Multipart multipart = (RequestBody.Multipart) body;
        Map<Integer, RequestBody.FilePart> files = new HashMap<>(multipart.files());
        List<Integer> order = new ArrayList<>(files.keySet());
        order.sort(Integer::compare);
        for (int index : order) {
            RequestBody.FilePart part = files.get(index);
            if (part.source() != null) {
                HttpResponse file = download(part.source(), part.sourceSecrets(), left, userAgent, deadline, warnings,
                        "step.request.body.fields[" + index + "].file.url");
                files.put(index, new RequestBody.FilePart(file.body(), part.filename(),
                        part.mediaType() != null ? part.mediaType() : mediaType(file)));
            }
        }
        return new OutboundRequest(request.method(), request.uri(), request.headers(),
                new RequestBody.Multipart(multipart.fields(), files), request.tls(), request.secrets());
    }

    /** {@code secrets}: those the URL itself carries, so that their host bindings apply to it and to every redirect. */
    private HttpResponse download(URI source, UsedSecrets secrets, long[] left, String userAgent, Deadline deadline,
            Warnings warnings, String field) {
        if (left[0] <= 0) {
            throw tooLarge(source, field);
        }
        List<NameValue> headers = userAgent == null ? List.of() : List.of(new NameValue("User-Agent", userAgent));
        OutboundRequest get = new OutboundRequest("GET", source, headers, RequestBody.NONE, null, secrets);
        HttpResponse file;
        try {
            file = follower.send(get, new RedirectFollower.Limits(true, MAX_REDIRECTS, left[0]), deadline, warnings);
        } catch (StepFailure failure) {
            if (failure.error().code() == ErrorCode.RESPONSE_TOO_LARGE) {
                throw tooLarge(source, field);
            }
            throw failure;
        }
        if (file.status() < 200 || file.status() > 299) {
            throw new StepFailure(new StepError(ErrorCode.HTTP_STATUS, field, "the file to upload from " + source.getHost()
                    + " could not be had: it answered " + file.status(), RetryableStatuses.contains(file.status())));
        }
        left[0] -= file.body().length;
        return file;
    }

    private static String mediaType(HttpResponse file) {
        return file.header("Content-Type").map(String::trim)
                .filter(type -> type.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\\s*;[^\\x00-\\x1f\\x7f]*)?"))
                .orElse("application/octet-stream");
    }

    private static StepFailure tooLarge(URI source, String field) {
        return new StepFailure(ErrorCode.RESPONSE_TOO_LARGE, field,
                "the file to upload from " + source.getHost() + " is larger than maxUploadBytes allows");
    }
}
