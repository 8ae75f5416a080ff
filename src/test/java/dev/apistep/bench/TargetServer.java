package dev.apistep.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import dev.apistep.support.DaemonThreads;

/**
 * The API the benchmarked steps call, on loopback: answers every request with a 2 KB JSON order (404 under
 * {@code /missing}) and counts the TCP connections it was called on (one client port per connection).
 */
final class TargetServer implements AutoCloseable {

    private final HttpServer server;
    private final byte[] order = Workloads.orderResponse(2048).getBytes(StandardCharsets.UTF_8);
    private final Set<String> connections = ConcurrentHashMap.newKeySet();

    TargetServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, DaemonThreads.named("target-api")));
        server.createContext("/", this::answer);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Connections seen since the last call. */
    int takeConnectionCount() {
        int count = connections.size();
        connections.clear();
        return count;
    }

    private void answer(HttpExchange exchange) throws IOException {
        connections.add(exchange.getRemoteAddress().toString());
        exchange.getRequestBody().readAllBytes();
        boolean missing = exchange.getRequestURI().getPath().startsWith("/missing");
        byte[] body = missing ? "{\"error\": \"no such order\"}".getBytes(StandardCharsets.UTF_8) : order;
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(missing ? 404 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
