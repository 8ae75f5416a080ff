package dev.apistep.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * A real implementation of DynamoDB's API for the tests: the npm package {@code dynalite} (in memory), installed
 * outside the repository ({@code .ci/test-servers} installs it into {@code ~/.cache/api-step-tools/dynalite}; the system
 * property {@code dynalite.home} or {@code DYNALITE_HOME} moves it), served on a free loopback port,
 * with the function's table ({@code pk} String key). A machine without it fails the test that needs it, with
 * the command that installs it.
 */
public final class DynaliteServer implements AutoCloseable {

    public static final String TABLE = "api-step-state";
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    private final int port;
    private final Path log;
    private Process process;

    private DynaliteServer(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    public static Path home() {
        String configured = System.getProperty("dynalite.home", System.getenv("DYNALITE_HOME"));
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "api-step-tools", "dynalite");
    }

    public static DynaliteServer start() throws IOException, InterruptedException {
        DynaliteServer server = new DynaliteServer(RedisServer.freePort(), Files.createTempFile("dynalite", ".log"));
        server.launch();
        server.createTable();
        return server;
    }

    private void launch() throws IOException, InterruptedException {
        Path module = home().resolve("node_modules").resolve("dynalite");
        if (!Files.isDirectory(module)) {
            throw new IllegalStateException("dynalite is not installed in " + home() + ": run `mkdir -p " + home()
                    + " && cd " + home() + " && npm install dynalite@3` (.ci/test-servers does)");
        }
        String script = "require(" + quote(module.toString()) + ")({createTableMs: 0, deleteTableMs: 0, updateTableMs: 0})"
                + ".listen(" + port + ", '127.0.0.1', () => console.log('listening'))";
        ProcessBuilder builder = new ProcessBuilder(List.of("node", "-e", script));
        process = ServerProcess.start("dynalite", builder, log, "dynalite needs Node.js 20", 20,
                () -> Files.readString(log).contains("listening"));
    }

    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private void createTable() throws InterruptedException {
        try (DynamoDbClient client = client()) {
            client.createTable(table -> table.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (client.describeTable(table -> table.tableName(TABLE)).table().tableStatus() != TableStatus.ACTIVE) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("the table did not become active");
                }
                Thread.sleep(50);
            }
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A client for this server with test credentials; {@code watching} sees each of its requests. */
    public DynamoDbClient client(ExecutionInterceptor... watching) {
        return DynamoDbClient.builder().endpointOverride(URI.create(endpoint())).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .overrideConfiguration(config -> config.executionInterceptors(List.of(watching)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /**
     * The item with key {@code pk} as the table holds it, every attribute as {@code name=value} on a line of its
     * own (null when there is none), read with a consistent {@code GetItem}.
     */
    public String item(String pk) {
        try (DynamoDbClient client = client()) {
            Map<String, AttributeValue> item = client.getItem(get -> get.tableName(TABLE).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS(pk)))).item();
            if (item == null || item.isEmpty()) {
                return null;
            }
            StringBuilder text = new StringBuilder();
            item.forEach((name, value) -> text.append(name).append('=')
                    .append(value.s() != null ? value.s() : value.n() != null ? value.n() : value.toString()).append('\n'));
            return text.toString();
        }
    }

    /** Ends the server (its data is in memory: gone). */
    public void stop() throws InterruptedException {
        ServerProcess.stop(process);
    }

    public void pause() throws IOException, InterruptedException {
        ServerProcess.signal(process, "STOP");
    }

    public void resume() throws IOException, InterruptedException {
        ServerProcess.signal(process, "CONT");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        ServerProcess.end(process, log);
    }
}
