package dev.apistep.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that receives uploads and records each as it arrived: head, byte count, SHA-256, whether the
 * body came whole (its Content-Length or last chunk) or the connection broke first, and the bytes themselves up to
 * {@link #KEPT_BYTES}. It answers the statuses it is given in turn, then keeps answering the last one; a 307 or
 * 308 redirects to {@code /redirected}.
 */
public final class UploadTarget implements AutoCloseable {

    /** Bodies up to this are kept for parsing; larger ones only counted and hashed. */
    public static final int KEPT_BYTES = 16 * 1024 * 1024;

    /** One request as received. {@code body}: null when larger than {@link #KEPT_BYTES}. */
    public record Received(String method, String path, com.sun.net.httpserver.Headers headers, long length, String sha256,
            boolean complete, byte[] body) {
        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile List<Integer> statuses = List.of(200);

    public UploadTarget() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(DaemonThreads.named("upload-target")));
        server.createContext("/", this::receive);
        server.start();
    }

    public UploadTarget answering(Integer... statuses) {
        this.statuses = List.of(statuses);
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Every request whose body was read to its end or broke off, in order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    private void receive(HttpExchange exchange) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long length = 0;
        boolean complete;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] buffer = new byte[64 * 1024];
            for (int read; (read = in.read(buffer)) != -1; ) {
                sha256.update(buffer, 0, read);
                if (length + read <= KEPT_BYTES) {
                    kept.write(buffer, 0, read);
                }
                length += read;
            }
            complete = true;
        } catch (IOException broken) {
            complete = false;
        }
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders(), length, HexFormat.of().formatHex(sha256.digest()), complete,
                length <= KEPT_BYTES ? kept.toByteArray() : null));
        try (exchange) {
            if (complete) {
                List<Integer> script = statuses;
                int status = script.get(Math.min(answered.getAndIncrement(), script.size() - 1));
                byte[] answer = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                if (status == 307 || status == 308) {
                    exchange.getResponseHeaders().add("Location", "/redirected");
                }
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
            }
        } catch (IOException gone) {
            // The function is gone: nothing to answer.
        }
    }

    /** The SHA-256 of these bytes, as {@link Received#sha256} gives it. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
