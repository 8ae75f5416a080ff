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
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends a request whose files come from a URL (contract §5: file parts and binary bodies with {@code url}),
 * each downloaded as the request is written, never held: the downloads go through the same egress path as the
 * step's own call (every hop passes the destination check, redirects followed, at most {@link #MAX_REDIRECTS}),
 * within the step's one deadline. Every download's response head is had before the request starts, so a file
 * that cannot be had, or announces more than is left of {@code maxUploadBytes}, fails the step with nothing sent;
 * a file that grows past it while it streams fails the step and cuts the request before its end. When every
 * file announces its length, the request carries a Content-Length; otherwise it is chunked.
 */
final class UploadSources {

    private static final int MAX_REDIRECTS = 5;

    private final RedirectFollower follower;
    private final HttpSender sender;

    UploadSources(RedirectFollower follower, HttpSender sender) {
        this.follower = follower;
        this.sender = sender;
    }

    HttpResponse send(OutboundRequest request, RedirectFollower.Limits limits, Deadline deadline, Warnings warnings) {
        RequestBody body = request.body();
        Budget budget = new Budget(limits.maxUploadBytes() - body.uploadSize());
        String userAgent = request.headers().stream().filter(header -> header.name().equalsIgnoreCase("User-Agent"))
                .map(NameValue::value).findFirst().orElse(null);
        List<Download> opened = new ArrayList<>();
        try {
            if (body instanceof RequestBody.Binary binary) {
                String field = "step.request.body.url";
                Download file = open(binary.source(), binary.sourceSecrets(), budget, userAgent, deadline, warnings, field,
                        opened);
                return sender.send(request, budget.counted(file, binary.source(), field),
                        binary.mediaType() != null ? binary.mediaType() : mediaType(file.head()), deadline,
                        limits.maxResponseBytes());
            }
            RequestBody.Multipart multipart = (RequestBody.Multipart) body;
            Map<Integer, RequestBody.FilePart> files = new TreeMap<>(multipart.files());
            Map<Integer, StreamedBytes> streamed = new HashMap<>();
            for (Map.Entry<Integer, RequestBody.FilePart> entry : files.entrySet()) {
                RequestBody.FilePart part = entry.getValue();
                if (part.source() != null) {
                    String field = "step.request.body.fields[" + entry.getKey() + "].file.url";
                    Download file = open(part.source(), part.sourceSecrets(), budget, userAgent, deadline, warnings, field,
                            opened);
                    entry.setValue(new RequestBody.FilePart(part.bytes(), part.filename(),
                            part.mediaType() != null ? part.mediaType() : mediaType(file.head()), part.source(),
                            part.sourceSecrets()));
                    streamed.put(entry.getKey(), budget.counted(file, part.source(), field));
                }
            }
            MultipartBody framed = MultipartBody.of(multipart.withFiles(files), streamed);
            return sender.send(request, framed.stream(), framed.mediaType(), deadline, limits.maxResponseBytes());
        } finally {
            opened.forEach(Download::close);
        }
    }

    /**
     * The download of one file, its head had. {@code secrets}: those the URL itself carries, so that their host
     * bindings apply to it and to every redirect.
     */
    private Download open(URI source, UsedSecrets secrets, Budget budget, String userAgent, Deadline deadline,
            Warnings warnings, String field, List<Download> opened) {
        List<NameValue> headers = new ArrayList<>();
        if (userAgent != null) {
            headers.add(new NameValue("User-Agent", userAgent));
        }
        // The file's bytes as stored, with their length, so that the upload can announce it.
        headers.add(new NameValue("Accept-Encoding", "identity"));
        Download file;
        try {
            file = follower.open(new OutboundRequest("GET", source, headers, RequestBody.NONE, null, secrets),
                    MAX_REDIRECTS, deadline, warnings);
        } catch (StepFailure failure) {
            if (failure.error().code() == ErrorCode.RESPONSE_TOO_LARGE) {
                throw tooLarge(source, field);
            }
            throw ofField(failure, field);
        }
        opened.add(file);
        int status = file.head().status();
        if (status < 200 || status > 299) {
            throw new StepFailure(new StepError(ErrorCode.HTTP_STATUS, field, "the file to upload from " + source.getHost()
                    + " could not be had: it answered " + status, RetryableStatuses.contains(status)));
        }
        budget.announce(file.length(), source, field);
        return file;
    }

    private static String mediaType(HttpResponse file) {
        return file.header("Content-Type").map(String::trim)
                .filter(type -> type.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\\s*;[^\\x00-\\x1f\\x7f]*)?"))
                .orElse("application/octet-stream");
    }

    /**
     * A download that could not connect or timed out names the field of its URL: the step's input is at fault,
     * not the destination, so the destination's circuit breaker does not count it (retries still do).
     */
    private static StepFailure ofField(StepFailure failure, String field) {
        StepError error = failure.error();
        return error.code() == ErrorCode.CONNECT_FAILURE || error.code() == ErrorCode.TIMEOUT
                ? new StepFailure(new StepError(error.code(), field, error.message(), error.retryable())) : failure;
    }

    private static StepFailure tooLarge(URI source, String field) {
        return new StepFailure(ErrorCode.RESPONSE_TOO_LARGE, field,
                "the file to upload from " + source.getHost() + " is larger than maxUploadBytes allows");
    }

    /** What is left of {@code maxUploadBytes} for the step's downloads together: as announced, then as read. */
    private static final class Budget {
        private final long left;
        private long announced;
        /** Read by one thread at a time: the client reads a body's chunks one after another. */
        private volatile long read;

        Budget(long left) {
            this.left = left;
        }

        void announce(long length, URI source, String field) {
            announced += Math.max(length, 0);
            if (left <= 0 || announced > left) {
                throw tooLarge(source, field);
            }
        }

        StreamedBytes counted(Download file, URI source, String field) {
            InputStream counting = new ChunkFilter(file.body()) {
                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int count;
                    try {
                        count = in.read(buffer, offset, length);
                    } catch (StepFailure failure) {
                        throw ofField(failure, field);
                    }
                    if (count > 0) {
                        read += count;
                        if (read > left) {
                            throw tooLarge(source, field);
                        }
                    }
                    return count;
                }
            };
            return new StreamedBytes(counting, file.length());
        }
    }
}
