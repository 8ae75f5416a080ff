package dev.apistep.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The AWS Lambda Runtime API, served on loopback: hands events to a function polling
 * {@code /invocation/next} with the headers AWS sends (request id, deadline) and collects its answers.
 */
public final class LocalRuntimeApi implements AutoCloseable {

    private static final String BASE = "/2018-06-01/runtime";

    /** What Lambda sends for an invocation that is not sampled by X-Ray. */
    public static final String UNSAMPLED_TRACE = "Root=1-00000000-000000000000000000000000;Sampled=0";

    private record Pending(String id, byte[] event, long deadlineEpochMs, String traceHeader) {
    }

    private final HttpServer server;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<String>> answers = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();

    public LocalRuntimeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(DaemonThreads.named("runtime-api")));
        server.createContext(BASE + "/invocation/", this::invocation);
        server.createContext(BASE + "/init/error", exchange -> {
            initError.complete(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(exchange, 202, "");
        });
        server.start();
    }

    /** host:port, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues one event with {@code timeoutMs} of invocation time; the answer completes the future. */
    public CompletableFuture<String> invoke(String event, long timeoutMs) {
        return invoke(event, timeoutMs, UNSAMPLED_TRACE);
    }

    /** Queues one event whose invocation carries {@code traceHeader} ({@code Lambda-Runtime-Trace-Id}). */
    public CompletableFuture<String> invoke(String event, long timeoutMs, String traceHeader) {
        return invoke(event.getBytes(StandardCharsets.UTF_8), timeoutMs, traceHeader);
    }

    /** Queues an event of any bytes, valid UTF-8 or not, as a broken client could send. */
    public CompletableFuture<String> invoke(byte[] event, long timeoutMs, String traceHeader) {
        String id = UUID.randomUUID().toString();
        CompletableFuture<String> answer = new CompletableFuture<>();
        answers.put(id, answer);
        initError.thenAccept(error -> answer.completeExceptionally(new IllegalStateException("init error: " + error)));
        queue.add(new Pending(id, event, System.currentTimeMillis() + timeoutMs, traceHeader));
        return answer;
    }

    /** What the function posted to {@code /init/error} when it could not start (the runtime client's error JSON). */
    public CompletableFuture<String> initError() {
        return initError.copy();
    }

    /** Sends one event and waits for its answer. */
    public String invokeAndWait(String event, long timeoutMs) throws Exception {
        return invoke(event, timeoutMs).get(timeoutMs + 60_000, TimeUnit.MILLISECONDS);
    }

    private void invocation(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring((BASE + "/invocation/").length());
        if (path.equals("next") && exchange.getRequestMethod().equals("GET")) {
            Pending next;
            try {
                next = queue.take();
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
                return;
            }
            exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", next.id());
            exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(next.deadlineEpochMs()));
            exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                    "arn:aws:lambda:us-east-1:000000000000:function:api-step");
            exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", next.traceHeader());
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            reply(exchange, 200, next.event());
            return;
        }
        String[] parts = path.split("/");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        CompletableFuture<String> answer = parts.length == 2 ? answers.remove(parts[0]) : null;
        if (answer == null) {
            reply(exchange, 404, "{\"errorMessage\": \"unknown request id\"}");
            return;
        }
        if (parts[1].equals("response")) {
            answer.complete(body);
        } else {
            answer.completeExceptionally(new IllegalStateException("function error: " + body));
        }
        reply(exchange, 202, "{\"status\": \"OK\"}");
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        reply(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
