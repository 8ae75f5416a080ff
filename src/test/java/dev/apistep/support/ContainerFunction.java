package dev.apistep.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged container-mode build ({@code ./mvnw -Pcontainer package}) started as an orchestrator
 * starts it, {@code java -jar quarkus-run.jar}, on a free port; its output goes to the given log file.
 */
public final class ContainerFunction implements AutoCloseable {

    public static final Path JAR = Path.of("target", "container", "quarkus-app", "quarkus-run.jar");
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:]+:(\\d+)");

    private final Process process;
    private final int port;

    private ContainerFunction(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the build with these JVM options and system properties, and waits until it listens. */
    public static ContainerFunction start(List<String> options, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0"));
        command.addAll(options);
        command.addAll(List.of("-jar", JAR.toString()));
        Files.deleteIfExists(log);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int attempt = 0; attempt < 300; attempt++) {
            Matcher listening = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (listening.find()) {
                return new ContainerFunction(process, Integer.parseInt(listening.group(1)));
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the container build did not start: " + Files.readString(log));
    }

    /** The function's root URL, {@code http://127.0.0.1:<port>/}. */
    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    public long pid() {
        return process.pid();
    }

    /** Asks the process to stop (SIGTERM, as an orchestrator does) and waits; true when it ended in time. */
    public boolean stopAndWait(long seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (!stopAndWait(10)) {
            process.destroyForcibly();
        }
    }
}
