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

    /** Starts the function against {@code runtimeApi}, allowing {@code allowedDestinations} for the demo servers. */
    public static PackagedFunction start(String runtimeApi, String allowedDestinations) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(isNative() ? List.of(System.getProperty(NATIVE_EXECUTABLE)) : jvmCommand());
        Map<String, String> env = builder.environment();
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("API_STEP_ALLOWED_DESTINATIONS", allowedDestinations);
        env.put("AWS_LAMBDA_FUNCTION_NAME", "api-step");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        env.put("AWS_REGION", "us-east-1");
        env.put("_HANDLER", HANDLER);
        File log = TARGET.resolve("packaged-function.log").toFile();
        builder.redirectErrorStream(true).redirectOutput(log);
        return new PackagedFunction(builder.start());
    }

    /** Whether this build tests the native executable instead of the runner jar. */
    public static boolean isNative() {
        String executable = System.getProperty(NATIVE_EXECUTABLE, "");
        return !executable.isBlank();
    }

    private static List<String> jvmCommand() throws IOException {
        String classPath = runnerJar() + File.pathSeparator + TARGET.resolve("lambda-runtime").toAbsolutePath() + File.separator + "*";
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath,
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                HANDLER);
    }

    private static String runnerJar() throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            return files.filter(file -> file.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no runner jar in target/: run ./mvnw package first"))
                    .toAbsolutePath().toString();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
