package dev.apistep.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The bundled demo API, on a free loopback port: {@code GET /orders/{id}} answers an order,
 * {@code POST /orders/{id}/notes} echoes the note it received, anything else is a 404.
 */
public final class DemoServer implements AutoCloseable {

    private final HttpServer server;

    public DemoServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, DaemonThreads.named("demo-api")));
        server.createContext("/orders/", this::orders);
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void orders(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getRawPath().split("/");
        String received = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (path.length == 3 && exchange.getRequestMethod().equals("GET")) {
            reply(exchange, 200, "{\"order\": {\"id\": \"" + path[2] + "\", \"status\": \"shipped\", \"total\": 42.50,"
                    + " \"items\": [{\"sku\": \"SKU-1\", \"qty\": 2}]}}");
        } else if (path.length == 4 && path[3].equals("notes") && exchange.getRequestMethod().equals("POST")) {
            reply(exchange, 201, "{\"order\": {\"id\": \"" + path[2] + "\", \"status\": \"noted\"}, \"received\": "
                    + (received.isBlank() ? "null" : received) + "}");
        } else {
            reply(exchange, 404, "{\"error\": {\"reason\": \"no such order\"}}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
