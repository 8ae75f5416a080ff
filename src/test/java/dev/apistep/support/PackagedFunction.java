package dev.apistep.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The packaged function started as AWS starts a Java function: the runner jar under AWS's runtime
 * interface client, polling a Runtime API. In a native build ({@code -Dnative}, which sets
 * {@code native.image.path}) it is the native executable, which polls the Runtime API itself, as Lambda's
 * provided.al2023 runtime starts it. Its output goes to {@code target/packaged-function.log}.
 */
public final class PackagedFunction implements AutoCloseable {

    public static final String HANDLER = "dev.apistep.lambda.ContextAwareStreamHandler::handleRequest";
    private static final Path TARGET = Path.of("target");
    private static final String NATIVE_EXECUTABLE = "native.image.path";

    private final Process process;

    private PackagedFunction(Process process) {
        this.process = process;
    }

    /** The JVM options of the tests: those the SAM template sets, with the serial collector Lambda uses. */
    public static final List<String> LAMBDA_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /** Starts the function against {@code runtimeApi}, allowing {@code allowedDestinations} for the demo servers. */
    public static PackagedFunction start(String runtimeApi, String allowedDestinations) throws IOException {
        return start(runtimeApi, allowedDestinations, LAMBDA_JVM_OPTIONS, TARGET.resolve("packaged-function.log"));
    }

    /** The same, with the given JVM options (ignored for the native executable) and log file. */
    public static PackagedFunction start(String runtimeApi, String allowedDestinations, List<String> jvmOptions, Path log)
            throws IOException {
        return start(runtimeApi, allowedDestinations, Path.of(System.getProperty("java.home")), jvmOptions, log, Map.of());
    }

    /** The same, with more environment variables (an operator's settings, e.g. the shared store). */
    public static PackagedFunction start(String runtimeApi, String allowedDestinations, List<String> jvmOptions, Path log,
            Map<String, String> settings) throws IOException {
        return start(runtimeApi, allowedDestinations, Path.of(System.getProperty("java.home")), jvmOptions, log, settings);
    }

    /** The same on the JDK or JRE at {@code javaHome}. */
    public static PackagedFunction start(String runtimeApi, String allowedDestinations, Path javaHome, List<String> jvmOptions,
            Path log) throws IOException {
        return start(runtimeApi, allowedDestinations, javaHome, jvmOptions, log, Map.of());
    }

    private static PackagedFunction start(String runtimeApi, String allowedDestinations, Path javaHome,
            List<String> jvmOptions, Path log, Map<String, String> settings) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(isNative() ? List.of(System.getProperty(NATIVE_EXECUTABLE))
                : jvmCommand(javaHome, jvmOptions));
        Map<String, String> env = builder.environment();
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("API_STEP_ALLOWED_DESTINATIONS", allowedDestinations);
        env.put("AWS_LAMBDA_FUNCTION_NAME", "api-step");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        env.put("AWS_REGION", "us-east-1");
        env.put("_HANDLER", HANDLER);
        env.putAll(settings);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new PackagedFunction(builder.start());
    }

    /** Whether this build tests the native executable instead of the runner jar. */
    public static boolean isNative() {
        String executable = System.getProperty(NATIVE_EXECUTABLE, "");
        return !executable.isBlank();
    }

    private static List<String> jvmCommand(Path javaHome, List<String> jvmOptions) throws IOException {
        String classPath = runnerJar() + File.pathSeparator + TARGET.resolve("lambda-runtime").toAbsolutePath() + File.separator + "*";
        List<String> command = new java.util.ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", HANDLER));
        return command;
    }

    private static String runnerJar() throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            return files.filter(file -> file.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no runner jar in target/: run ./mvnw package first"))
                    .toAbsolutePath().toString();
        }
    }

    /** The operating system's process id, to read its resident memory. */
    public long pid() {
        return process.pid();
    }

    /** Asks the process to stop (SIGTERM, as Lambda does) and waits; true when it ended in time. */
    public boolean stopAndWait(long seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (!stopAndWait(5)) {
            process.destroyForcibly();
        }
    }
}
