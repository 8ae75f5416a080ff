package dev.apistep.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A test server run as a child process (redis-server, dynalite): started, waited for, never left behind. */
final class ServerProcess {

    /** Whether the server answers yet. */
    interface Ready {
        boolean now() throws IOException;
    }

    private ServerProcess() {
    }

    /**
     * Starts {@code builder} with its output in {@code log} and waits until {@code ready} says so; {@code missing}
     * tells how to install the server when it cannot be started.
     */
    static Process start(String name, ProcessBuilder builder, Path log, String missing, long timeoutSeconds, Ready ready)
            throws IOException, InterruptedException {
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException notInstalled) {
            throw new IllegalStateException(name + " could not be started (" + notInstalled.getMessage() + "): " + missing,
                    notInstalled);
        }
        // A test JVM that ends without closing it (a failed @AfterAll) leaves no server behind.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited at start: " + Files.readString(log));
            }
            if (ready.now()) {
                return process;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name + " did not answer in " + timeoutSeconds + " s: " + Files.readString(log));
    }

    /** Freezes ({@code STOP}) or thaws ({@code CONT}) the server: connections stay open, nothing is answered meanwhile. */
    static void signal(Process process, String name) throws IOException, InterruptedException {
        if (new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " failed");
        }
    }

    /** Ends the server, by force when it has not ended in 10 s. */
    static void stop(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Ends the server, thawed first if it was frozen, and deletes its log. */
    static void end(Process process, Path log) throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            signal(process, "CONT");
        }
        stop(process);
        Files.deleteIfExists(log);
    }
}
