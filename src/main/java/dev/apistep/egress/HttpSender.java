package dev.apistep.egress;

import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepFailure;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

/**
 * Sends one request through the Quarkus REST Client (its JAX-RS API) and reads the whole response
 * within the step's deadline and size cap.
 * <p>
 * The exchange runs on the caller's thread. The client's read timeout only bounds the wait for headers, so
 * the wait for the response is bounded by the deadline here, and a {@link DeadlineWatch} drops the connection
 * of an exchange still reading at the deadline, which fails the blocked body read: a server that drips its
 * body is cut. Bytes are counted as they are read (after decompression), so an oversize body stops at the
 * cap instead of filling memory. A request body can be streamed (a file uploaded from a URL, read from its
 * {@link #open open} download by the client's worker as the request is written), never held.
 */
public final class HttpSender implements AutoCloseable {

    private static final int READ_CHUNK = 16 * 1024;
    /** What the function asks for when the step does not say, and inflates itself within the cap. */
    private static final String ACCEPTED_ENCODINGS = "gzip, deflate";
    private static final Set<String> DECODED = Set.of("gzip", "x-gzip", "deflate");

    /** The first read of a body without a declared length; it grows by doubling up to the cap. */
    private static final int FIRST_READ = 8 * 1024;
    /** A declared length up to this is allocated at once; past it the body grows as bytes come, as a liar's would. */
    private static final int EXACT_UP_TO = 1024 * 1024;

    private final HttpClients clients;
    private final DeadlineWatch deadlines = new DeadlineWatch();

    public HttpSender(HttpClients clients) {
        this.clients = clients;
    }

    @Override
    public void close() {
        deadlines.close();
    }

    public HttpResponse send(OutboundRequest request, Deadline deadline, long maxResponseBytes) {
        return send(request, null, null, deadline, maxResponseBytes);
    }

    /**
     * {@code streamed}: the body, read as it is written (of media type {@code mediaType}, unless the step's
     * Content-Type header says otherwise for a binary body), in place of {@code request.body()}'s bytes; null
     * when those are sent. A streamed body whose source fails (over its cap, a download cut) fails the step
     * with that failure, and its connection is closed before the body's end is written.
     */
    HttpResponse send(OutboundRequest request, StreamedBytes streamed, String mediaType, Deadline deadline,
            long maxResponseBytes) {
        String host = request.uri().getHost();
        if (deadline.expired()) {
            throw TransportFailures.timeout(host);
        }
        ExchangeHandle handle = new ExchangeHandle();
        DeadlineWatch.Watch watch = deadlines.watch(handle, deadline.remainingNanos());
        UploadStream upload = streamed == null ? null : new UploadStream(streamed.bytes(), handle);
        try {
            Response response = start(request, upload == null ? null : new StreamedBytes(upload, streamed.length()),
                    mediaType, deadline, handle);
            HttpResponse read = receive(request, response, maxResponseBytes, handle, watch);
            if (upload != null && upload.failure != null) {
                throw upload.failure;
            }
            return read;
        } catch (StepFailure stepFailure) {
            throw stepFailure;
        } catch (IOException | RuntimeException | Error failure) {
            if (upload != null && upload.failure != null) {
                throw upload.failure;
            }
            // A connection dropped at the deadline fails the read with whatever the client makes of the close.
            throw watch.end() ? TransportFailures.timeout(host) : TransportFailures.classify(failure, host);
        } finally {
            watch.end();
            if (upload != null && !upload.ended) {
                // The server answered before the whole body was written: the connection is mid-request.
                handle.abort();
            }
        }
    }

    /**
     * The response to {@code request}, its body read as the caller needs it (a file streamed into an upload)
     * within the deadline: the connection is dropped at the deadline, and when the download is closed before
     * its end. Transport failures while it is read are step failures naming its host.
     */
    Download open(OutboundRequest request, Deadline deadline) {
        String host = request.uri().getHost();
        if (deadline.expired()) {
            throw TransportFailures.timeout(host);
        }
        ExchangeHandle handle = new ExchangeHandle();
        DeadlineWatch.Watch watch = deadlines.watch(handle, deadline.remainingNanos());
        Response response = null;
        try {
            response = start(request, null, null, deadline, handle);
            int status = response.getStatus();
            String coding = contentCoding(response);
            boolean bodiless = status == 204 || status == 304 || status < 200 || !response.hasEntity();
            InputStream wire = bodiless ? null : response.readEntity(InputStream.class);
            InputStream body = wire == null ? InputStream.nullInputStream() : decoder(wire, coding);
            long length = bodiless ? 0 : coding.equals("identity") ? response.getLength() : -1;
            return new Download(new HttpResponse(status, headers(response), new byte[0], request.uri()), length, body,
                    response, handle, watch);
        } catch (IOException | RuntimeException | Error failure) {
            handle.abort();
            boolean expired = watch.end();
            if (response != null) {
                response.close();
            }
            if (failure instanceof StepFailure stepFailure) {
                throw stepFailure;
            }
            throw expired ? TransportFailures.timeout(host) : TransportFailures.classify(failure, host);
        }
    }

    /** The request written (its body in memory or streamed) and its response head, within the deadline. */
    private Response start(OutboundRequest request, StreamedBytes streamed, String mediaType, Deadline deadline,
            ExchangeHandle handle) {
        Invocation.Builder builder = clients.clientFor(request.tls()).target(request.uri()).request()
                .property(QuarkusRestClientProperties.READ_TIMEOUT, Math.max(1, deadline.remainingMillis()))
                .property(ExchangeHandle.PROPERTY, handle);
        String contentType = null;
        boolean acceptEncoding = false;
        StringJoiner order = new StringJoiner(",");
        for (NameValue header : request.headers()) {
            order.add(header.name());
            acceptEncoding |= header.name().equalsIgnoreCase("Accept-Encoding");
            if (header.name().equalsIgnoreCase("Content-Type")) {
                contentType = header.value();
            } else {
                builder.header(header.name(), wireValue(header.value()));
            }
        }
        if (!acceptEncoding) {
            builder.header("Accept-Encoding", ACCEPTED_ENCODINGS);
        }
        if (!request.headers().isEmpty()) {
            builder.header(WireDiscipline.ORDER_HEADER, order.toString());
        }
        Entity<?> entity;
        if (streamed != null) {
            String type = request.body() instanceof RequestBody.Multipart || contentType == null ? mediaType : contentType;
            entity = Entity.entity(streamed.bytes(), mediaType(type, null));
            builder.header("Content-Type", type);
            if (streamed.length() >= 0) {
                // A known length goes out as Content-Length (presigned storage PUTs require one), else chunked.
                builder.header("Content-Length", streamed.length());
            }
        } else if (request.body() instanceof RequestBody.Multipart multipart) {
            MultipartBody body = MultipartBody.of(multipart, Map.of());
            entity = Entity.entity(body.bytes(), MediaType.valueOf(body.mediaType()));
            builder.header("Content-Type", body.mediaType());
        } else {
            entity = entity(request.body(), contentType);
            if (entity == null && contentType != null) {
                builder.header("Content-Type", contentType);
            }
        }
        // Asking for a Response makes the client stream the body instead of aggregating it first.
        Future<Response> pending = entity == null ? builder.async().method(request.method(), Response.class)
                : streamed != null ? startedOnItsOwnContext(() -> builder.async().method(request.method(), entity, Response.class))
                : builder.async().method(request.method(), entity, Response.class);
        return awaitHeaders(pending, deadline, request.uri().getHost());
    }

    /**
     * The client reads a streamed body in blocking tasks ordered on the Vert.x context it was called from. A step
     * run on a Vert.x worker (container mode) shares that queue with every request of its event loop, so one
     * stalled download would hold other steps' uploads back until its deadline. Called from a new thread, which
     * has no context, the exchange gets a context, and a queue, of its own.
     */
    private static Future<Response> startedOnItsOwnContext(Supplier<Future<Response>> exchange) {
        CompletableFuture<Future<Response>> started = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                started.complete(exchange.get());
            } catch (RuntimeException | Error failure) {
                started.completeExceptionally(failure);
            }
        }, "api-step-upload-start");
        starter.setDaemon(true);
        starter.start();
        try {
            return started.join();
        } catch (CompletionException failure) {
            if (failure.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw failure;
        }
    }

    /** The whole response body, within the deadline and the size cap. */
    private HttpResponse receive(OutboundRequest request, Response response, long maxResponseBytes, ExchangeHandle handle,
            DeadlineWatch.Watch watch) throws IOException {
        try {
            int status = response.getStatus();
            // RFC 9110 §6.4.1: these responses have no content, whatever their Content-Length says.
            boolean bodiless = request.method().equals("HEAD") || status == 204 || status == 304 || status < 200;
            List<NameValue> headers = headers(response);
            if (bodiless || !response.hasEntity()) {
                return new HttpResponse(status, headers, new byte[0], request.uri());
            }
            String coding = contentCoding(response);
            if (coding.equals("identity") && response.getLength() > maxResponseBytes) {
                throw tooLarge(request, maxResponseBytes);
            }
            int declared = coding.equals("identity") && response.getLength() >= 0 ? response.getLength() : -1;
            byte[] body = read(response.readEntity(InputStream.class), coding, maxResponseBytes, declared, request);
            if (!coding.equals("identity") && DECODED.contains(coding)) {
                headers.removeIf(header -> header.name().equalsIgnoreCase("Content-Encoding")
                        || header.name().equalsIgnoreCase("Content-Length"));
            }
            return new HttpResponse(status, headers, body, request.uri());
        } catch (IOException | RuntimeException | Error failure) {
            handle.abort();
            String fault = failure instanceof IOException ? handle.fault() : null;
            if (fault != null) {
                throw new MalformedResponseException(fault);
            }
            throw failure;
        } finally {
            // Ended before the response goes back: the deadline never drops a connection the pool has again.
            watch.end();
            response.close();
        }
    }

    /**
     * The response head, waited for on this thread within the deadline; failures as the client's synchronous
     * API reports them.
     */
    private static Response awaitHeaders(Future<Response> pending, Deadline deadline, String host) {
        try {
            return pending.get(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            pending.cancel(true);
            throw TransportFailures.timeout(host);
        } catch (InterruptedException interrupted) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw TransportFailures.timeout(host);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof ProcessingException processing) {
                throw processing;
            }
            if (cause instanceof WebApplicationException application) {
                throw application;
            }
            throw new ProcessingException(cause.getMessage(), cause);
        }
    }

    /** The response's content coding, lower case; {@code identity} when there is none. */
    private static String contentCoding(Response response) {
        String coding = response.getHeaderString("Content-Encoding");
        return coding == null || coding.isBlank() ? "identity" : coding.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * HTTP/1.1 writes header bytes as Latin-1, which would turn other characters into '?': a value
     * with any non-ASCII character is sent as its UTF-8 bytes instead, as curl does.
     */
    static String wireValue(String value) {
        return value.chars().allMatch(c -> c < 0x80) ? value
                : new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static Entity<?> entity(RequestBody body, String contentType) {
        if (body instanceof RequestBody.Text text) {
            return Entity.entity(text.text().getBytes(StandardCharsets.UTF_8), mediaType(contentType, text.mediaType()));
        }
        if (body instanceof RequestBody.Form form) {
            StringBuilder encoded = new StringBuilder();
            for (NameValue field : form.fields()) {
                if (encoded.length() > 0) {
                    encoded.append('&');
                }
                encoded.append(URLEncoder.encode(field.name(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(field.value(), StandardCharsets.UTF_8));
            }
            return Entity.entity(encoded.toString().getBytes(StandardCharsets.UTF_8),
                    mediaType(contentType, MediaType.APPLICATION_FORM_URLENCODED));
        }
        if (body instanceof RequestBody.Binary binary) {
            return Entity.entity(binary.bytes(), mediaType(contentType, binary.mediaType()));
        }
        return null;
    }

    private static MediaType mediaType(String header, String fallback) {
        try {
            return MediaType.valueOf(header != null ? header : fallback);
        } catch (IllegalArgumentException invalid) {
            throw StepFailure.invalidStep("step.request.headers.Content-Type", "the Content-Type header is not a valid media type");
        }
    }

    /**
     * Reads the body, inflating gzip and deflate here (not in Vert.x) so that decoded bytes are counted as they
     * come: both the bytes on the wire and the decoded bytes stop at the cap, with the connection dropped by
     * the caller. Other codings are returned as they came.
     */
    private static byte[] read(InputStream stream, String coding, long maxBytes, int declared, OutboundRequest request)
            throws IOException {
        if (stream == null) {
            return new byte[0];
        }
        // Compression can grow incompressible data a little: the wire gets that much room above the cap.
        CountingStream wire = new CountingStream(stream, maxBytes + maxBytes / 16 + 64 * 1024, maxBytes, request);
        try (InputStream in = decoder(wire, coding)) {
            // Read straight into the body: a declared length is the exact size (no copy), else it doubles.
            byte[] body = new byte[declared >= 0 && declared <= EXACT_UP_TO ? declared : (int) Math.min(FIRST_READ, maxBytes + 1)];
            int total = 0;
            while (true) {
                if (total == body.length) {
                    int next = in.read();
                    if (next == -1) {
                        return body;
                    }
                    if (total + 1L > maxBytes) {
                        throw tooLarge(request, maxBytes);
                    }
                    body = java.util.Arrays.copyOf(body, (int) Math.min(Math.max(2L * body.length, 16), maxBytes + 1));
                    body[total++] = (byte) next;
                }
                int read = in.read(body, total, body.length - total);
                if (read == -1) {
                    return total == body.length ? body : java.util.Arrays.copyOf(body, total);
                }
                total += read;
                if (total > maxBytes) {
                    throw tooLarge(request, maxBytes);
                }
            }
        } catch (IOException failure) {
            if (wire.failed || coding.equals("identity") || !DECODED.contains(coding)) {
                throw failure;
            }
            // The wire was fine: the decoder refused the data (not gzip, bad checksum, truncated stream).
            throw new MalformedResponseException(MalformedResponseException.BAD_COMPRESSION);
        }
    }

    private static InputStream decoder(InputStream wire, String coding) throws IOException {
        try {
            return switch (coding) {
                case "gzip", "x-gzip" -> new GZIPInputStream(wire, READ_CHUNK);
                case "deflate" -> deflate(wire);
                default -> wire;
            };
        } catch (java.util.zip.ZipException | java.io.EOFException notCompressed) {
            throw new MalformedResponseException(MalformedResponseException.BAD_COMPRESSION);
        }
    }

    /** "deflate" is zlib-wrapped by the standard, raw in some servers: the first two bytes tell (as Netty does). */
    private static InputStream deflate(InputStream wire) throws IOException {
        java.io.PushbackInputStream in = new java.io.PushbackInputStream(wire, 2);
        int first = in.read();
        int second = first == -1 ? -1 : in.read();
        if (second != -1) {
            in.unread(second);
        }
        if (first != -1) {
            in.unread(first);
        }
        boolean zlib = first != -1 && second != -1 && (first & 0x0f) == 8 && ((first << 8) | second) % 31 == 0;
        return new InflaterInputStream(in, new Inflater(!zlib), READ_CHUNK) {
            @Override
            public void close() throws IOException {
                super.close();
                inf.end();
            }
        };
    }

    /** Counts the bytes from the wire: past its limit the body is too large, whatever it decodes to. */
    private static final class CountingStream extends ChunkFilter {
        private final long limit;
        private final long maxBytes;
        private final OutboundRequest request;
        private long count;
        private boolean failed;

        CountingStream(InputStream in, long limit, long maxBytes, OutboundRequest request) {
            super(in);
            this.limit = limit;
            this.maxBytes = maxBytes;
            this.request = request;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read;
            try {
                read = in.read(buffer, offset, length);
            } catch (IOException | RuntimeException failure) {
                failed = true;
                throw failure;
            }
            if (read > 0) {
                count += read;
                if (count > limit) {
                    failed = true;
                    throw tooLarge(request, maxBytes);
                }
            }
            return read;
        }
    }

    private static StepFailure tooLarge(OutboundRequest request, long maxBytes) {
        return new StepFailure(ErrorCode.RESPONSE_TOO_LARGE, null,
                "the response from " + request.uri().getHost() + " is larger than maxResponseBytes (" + maxBytes + ")");
    }

    private static List<NameValue> headers(Response response) {
        List<NameValue> headers = new ArrayList<>();
        for (Map.Entry<String, List<String>> header : response.getStringHeaders().entrySet()) {
            for (String value : header.getValue()) {
                headers.add(new NameValue(header.getKey(), value));
            }
        }
        return headers;
    }
}
