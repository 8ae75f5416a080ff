package dev.apistep.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The training run for a JDK 25 AOT cache of container mode (JEP 483/514/515): starts the packaged container
 * build as a separate process with {@code -XX:AOTCacheOutput}, sends it real steps against a loopback API this
 * driver serves, then stops it with SIGTERM so the JVM writes the cache. The trained process is an ordinary
 * container-mode process configured (through its environment only) to allow 127.0.0.1, the one destination
 * of the training; the cache holds classes and profiles, never configuration, so a process started with
 * the cache has its own destination rules. Only JDK classes are used, so the driver runs from the
 * application jar alone:
 * <pre>
 * java -cp target/container/quarkus-app/app/api-step-*.jar dev.apistep.http.AotTraining \
 *     JAVA QUARKUS_RUN_JAR CACHE_FILE [STEPS] [-- JVM options of the runtime]
 * </pre>
 * The cache works only with the JDK build that wrote it: {@code JAVA} must be the runtime's JDK.
 */
public final class AotTraining {

    private static final byte[] ORDER = ("{\"order\": {\"status\": \"shipped\", \"items\": [{\"sku\": \"SKU-1\", \"qty\": 2},"
            + " {\"sku\": \"SKU-2\", \"qty\": 1}], \"note\": null}, \"big\": 12345678901234567890, \"price\": 12.5}")
            .getBytes(StandardCharsets.UTF_8);

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: AotTraining JAVA QUARKUS_RUN_JAR CACHE_FILE [STEPS] [-- JVM options]");
            System.exit(2);
        }
        List<String> jvmOptions = new ArrayList<>();
        int steps = 300;
        for (int i = 3; i < args.length; i++) {
            if (args[i].equals("--")) {
                jvmOptions.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            steps = Integer.parseInt(args[i]);
        }
        Path cache = Path.of(args[2]).toAbsolutePath();
        Files.deleteIfExists(cache);
        HttpServer api = api();
        try {
            train(args[0], args[1], cache, steps, jvmOptions, api.getAddress().getPort());
        } finally {
            api.stop(0);
        }
        if (!Files.isRegularFile(cache)) {
            throw new IllegalStateException("the training run ended without writing " + cache);
        }
        System.out.printf("AOT cache %s: %d bytes after %d training steps%n", cache, Files.size(cache), steps);
    }

    private static void train(String java, String runJar, Path cache, int steps, List<String> jvmOptions, int apiPort)
            throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java, "-XX:AOTCacheOutput=" + cache));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", runJar));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.environment().put("API_STEP_ALLOWED_DESTINATIONS", "127.0.0.1");
        builder.environment().put("API_STEP_RATE_LIMIT_PER_TENANT_PER_MINUTE", "0");
        builder.environment().put("API_STEP_RATE_LIMIT_PER_DESTINATION_PER_MINUTE", "0");
        // A caller token of this run only, so that the admission of a credentialed caller is trained too.
        String token = "aot-training-" + UUID.randomUUID();
        builder.environment().put("API_STEP_CALLERS", "{\"" + token + "\": \"*\"}");
        Process process = builder.start();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(2)).build();
            URI function = URI.create("http://127.0.0.1:" + port + "/");
            waitUntilReady(client, URI.create("http://127.0.0.1:" + port + "/q/health/ready"), process);
            String api = "http://127.0.0.1:" + apiPort;
            for (int i = 0; i < steps; i++) {
                String event = event(i, api);
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(function).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200 || !answer.body().contains("\"branch\"")) {
                    throw new IllegalStateException("training step " + i + " answered " + answer.statusCode() + ": "
                            + answer.body());
                }
            }
        } finally {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the trained process did not stop within 60 s");
            }
        }
    }

    /** The step path a deployment runs: mostly the GET with captures, some JSON POSTs and failure branches. */
    private static String event(int i, String api) {
        String captures = "\"capture\": [{\"variable\": \"st\", \"path\": \"response.order.status\"},"
                + " {\"variable\": \"s\", \"path\": \"$.order.items[0].sku\"}]";
        String variables = "\"variables\": {\"i\": " + i + ", \"name\": \"training\", \"n\": 1.5}";
        return switch (i % 10) {
            case 7 -> "{\"step\": {\"id\": \"train-post\", \"request\": {\"method\": \"POST\", \"url\": \"" + api
                    + "/json?q={{name}}\", \"headers\": {\"X-Trace\": \"t-{{i}}\"}, \"body\": {\"type\": \"json\","
                    + " \"content\": {\"name\": \"{{name}}\", \"n\": \"{{n}}\"}}}, " + captures + "}, " + variables + "}";
            case 8 -> "{\"step\": {\"id\": \"train-503\", \"request\": {\"method\": \"GET\", \"url\": \"" + api
                    + "/status/503\"}, \"options\": {\"retry\": {\"maxAttempts\": 1}}}, " + variables + "}";
            case 9 -> "{\"step\": {\"id\": \"train-text\", \"request\": {\"method\": \"GET\", \"url\": \"" + api
                    + "/text\"}}, " + variables + "}";
            default -> "{\"step\": {\"id\": \"train\", \"request\": {\"method\": \"GET\", \"url\": \"" + api + "/json\"}, "
                    + captures + "}, " + variables + "}";
        };
    }

    private static void waitUntilReady(HttpClient client, URI ready, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the trained process exited with " + process.exitValue());
            }
            try {
                if (client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the trained process was not ready within 60 s");
    }

    /** The training's API: the sample order, a status code, a text body; loopback only. */
    private static HttpServer api() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/json", exchange -> answer(exchange, 200, "application/json", ORDER));
        server.createContext("/status/503", exchange -> answer(exchange, 503, "application/json",
                "{\"error\": \"unavailable\"}".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/text", exchange -> answer(exchange, 200, "text/plain",
                "hello, plain text".getBytes(StandardCharsets.UTF_8)));
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
