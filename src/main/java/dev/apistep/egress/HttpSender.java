package dev.apistep.egress;

import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepFailure;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

/**
 * Sends one request through the Quarkus REST Client (its JAX-RS API) and reads the whole response
 * within the step's deadline and size cap.
 * <p>
 * The client's read timeout only bounds the wait for headers, so the exchange runs on a worker and is
 * interrupted at the deadline: the client's blocking body stream gives way to an interrupt, which stops
 * a server that drips its body. Bytes are counted as they are read (after decompression), so an
 * oversize body stops at the cap instead of filling memory.
 */
public final class HttpSender implements AutoCloseable {

    private static final int READ_CHUNK = 16 * 1024;

    private final HttpClients clients;
    private final ExecutorService workers;

    public HttpSender(HttpClients clients) {
        this.clients = clients;
        this.workers = Executors.newCachedThreadPool(task -> {
            Thread worker = new Thread(task, "api-step-egress");
            worker.setDaemon(true);
            return worker;
        });
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    public HttpResponse send(OutboundRequest request, Deadline deadline, long maxResponseBytes) {
        String host = request.uri().getHost();
        if (deadline.expired()) {
            throw TransportFailures.timeout(host);
        }
        Future<HttpResponse> exchange = workers.submit(() -> exchange(request, deadline, maxResponseBytes));
        try {
            return exchange.get(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            exchange.cancel(true);
            throw TransportFailures.timeout(host);
        } catch (InterruptedException interrupted) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw TransportFailures.timeout(host);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof StepFailure stepFailure) {
                throw stepFailure;
            }
            throw TransportFailures.classify(failed.getCause(), host);
        }
    }

    private HttpResponse exchange(OutboundRequest request, Deadline deadline, long maxResponseBytes) throws IOException {
        Invocation.Builder builder = clients.clientFor(request.tls()).target(request.uri()).request()
                .property(QuarkusRestClientProperties.READ_TIMEOUT, Math.max(1, deadline.remainingMillis()));
        String contentType = null;
        for (NameValue header : request.headers()) {
            if (header.name().equalsIgnoreCase("Content-Type")) {
                contentType = header.value();
            } else {
                builder.header(header.name(), wireValue(header.value()));
            }
        }
        Entity<?> entity = entity(request.body(), contentType);
        if (entity == null && contentType != null) {
            builder.header("Content-Type", contentType);
        }
        Response response = entity == null ? builder.method(request.method()) : builder.method(request.method(), entity);
        try {
            long declared = response.getLength();
            if (declared > maxResponseBytes) {
                throw tooLarge(request, maxResponseBytes);
            }
            byte[] body = request.method().equals("HEAD") || !response.hasEntity()
                    ? new byte[0]
                    : read(response.readEntity(InputStream.class), maxResponseBytes, request);
            return new HttpResponse(response.getStatus(), headers(response), body, request.uri());
        } finally {
            response.close();
        }
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
        if (body instanceof RequestBody.Multipart multipart) {
            ClientMultipartForm form = ClientMultipartForm.create();
            for (NameValue field : multipart.fields()) {
                form.attribute(field.name(), field.value(), null);
            }
            return Entity.entity(form, MediaType.MULTIPART_FORM_DATA_TYPE);
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

    private static byte[] read(InputStream stream, long maxBytes, OutboundRequest request) throws IOException {
        if (stream == null) {
            return new byte[0];
        }
        try (InputStream in = stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[READ_CHUNK];
            long total = 0;
            for (int read = in.read(chunk); read != -1; read = in.read(chunk)) {
                total += read;
                if (total > maxBytes) {
                    throw tooLarge(request, maxBytes);
                }
                out.write(chunk, 0, read);
            }
            return out.toByteArray();
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
