package dev.apistep.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The AWS Parameters and Secrets Lambda Extension's local HTTP protocol, served on loopback for the whole
 * test run: {@code /secretsmanager/get?secretId=} and {@code /systemsmanager/parameters/get?name=}, answering
 * only requests that carry the session token ({@code X-Aws-Parameters-Secrets-Token}) the tests' environment
 * sets as {@code AWS_SESSION_TOKEN}.
 */
public final class ParametersSecretsExtension {

    public static final String SESSION_TOKEN = "test-session-token";
    /**
     * {@code echo/spelled} has characters that encoders spell in their own ways (a slash, non-ASCII, astral);
     * {@code api-step/callers} is a table of caller tokens (API_STEP_CALLERS by reference), {@code api-step/mcp-tokens}
     * one of MCP clients' tokens (API_STEP_MCP_TOKENS).
     */
    public static final Map<String, String> SECRETS = Map.of("crm/api-key", "sm-secret-8c9d", "bound-elsewhere", "bound-secret-1a2b",
            "echo/spelled", "sm/señal-😀-2b3c", "api-step/callers", "{\"by-reference-token-4d2a\": \"acme\"}",
            "api-step/mcp-tokens", "{\"mcp-acme-token-5e1f\": \"acme\", \"mcp-north-token-7a2c\": \"north\","
                    + " \"mcp-south-token-9b3d\": \"south\"}");
    public static final Map<String, String> PARAMETERS = Map.of("/bot/token", "ssm-secret-5e6f");
    private static final List<String> LOOKUPS = new CopyOnWriteArrayList<>();
    private static final HttpServer SERVER = start();

    private ParametersSecretsExtension() {
    }

    public static String url() {
        return "http://127.0.0.1:" + SERVER.getAddress().getPort();
    }

    /** Every lookup that carried the right token, as {@code kind:name}. */
    public static List<String> lookups() {
        return List.copyOf(LOOKUPS);
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/secretsmanager/get", exchange -> answer(exchange, "secretId", SECRETS, "sm",
                    value -> "{\"Name\": \"x\", \"SecretString\": \"" + value + "\"}"));
            server.createContext("/systemsmanager/parameters/get", exchange -> answer(exchange, "name", PARAMETERS, "ssm",
                    value -> "{\"Parameter\": {\"Name\": \"x\", \"Type\": \"SecureString\", \"Value\": \"" + value + "\"}}"));
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange exchange, String parameter, Map<String, String> store, String kind,
            java.util.function.Function<String, String> body) throws IOException {
        String name = null;
        for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
            if (pair.startsWith(parameter + "=")) {
                name = URLDecoder.decode(pair.substring(parameter.length() + 1), StandardCharsets.UTF_8);
            }
        }
        int status;
        String text;
        if (!SESSION_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Aws-Parameters-Secrets-Token"))) {
            status = 401;
            text = "{\"message\": \"unauthorized\"}";
        } else if (name == null || !store.containsKey(name)) {
            LOOKUPS.add(kind + ":" + name);
            status = 400;
            text = "{\"message\": \"not found\"}";
        } else {
            LOOKUPS.add(kind + ":" + name);
            status = 200;
            // As the extension answers: the value JSON-escaped inside its string (a table of tokens is JSON itself).
            text = body.apply(new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                    .quoteAsString(store.get(name))));
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
