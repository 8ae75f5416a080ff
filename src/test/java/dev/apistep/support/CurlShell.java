package dev.apistep.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A scratch directory tree in which a test runs an exported cURL command line in a real shell ({@code bash},
 * {@code dash}), either with the real curl or with a stand-in first on PATH: a script named curl that records
 * each invocation's arguments, one NUL-terminated record per argument, so that a test sees the exact words the
 * shell hands curl. The command runs in {@code work/}; whatever it creates anywhere in the tree shows in
 * {@link #files}.
 */
public final class CurlShell implements AutoCloseable {

    /** One run: the shell's exit code and error output, and the argument lists the stand-in recorded. */
    public record Run(int exitCode, String errors, List<List<String>> curlCalls) {
    }

    private final Path root;
    private final Path work;
    private final Path bin;
    private final Path records;

    public CurlShell() {
        try {
            root = Files.createTempDirectory("curl-shell");
            work = Files.createDirectory(root.resolve("work"));
            bin = Files.createDirectory(root.resolve("bin"));
            records = Files.createDirectory(root.resolve("records"));
            Path curl = bin.resolve("curl");
            Files.writeString(curl, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > '" + records + "/'$$\n");
            Files.setPosixFilePermissions(curl, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file at {@code path}, relative to the working directory ({@code ../x} is beside it). */
    public void put(String path, byte[] content) {
        try {
            Files.write(work.resolve(path).normalize(), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file and directory in the tree, relative to its root, but the stand-in and its records. */
    public Set<String> files() {
        try (Stream<Path> all = Files.walk(root)) {
            Set<String> names = new TreeSet<>();
            all.filter(path -> !path.startsWith(bin) && !path.startsWith(records))
                    .forEach(path -> names.add(root.relativize(path).toString()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code commandLine} in {@code shell} (an absolute path) with the recording stand-in for curl. */
    public Run recorded(String shell, String commandLine) {
        return run(shell, commandLine, bin + ":/usr/bin:/bin");
    }

    /** {@code commandLine} in {@code shell} with the curl installed on the machine. */
    public Run real(String shell, String commandLine) {
        return run(shell, commandLine, "/usr/bin:/bin");
    }

    private Run run(String shell, String commandLine, String path) {
        try {
            clearRecords();
            ProcessBuilder builder = new ProcessBuilder(shell, "-c", commandLine).directory(work.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().clear();
            builder.environment().put("PATH", path);
            builder.environment().put("HOME", work.toString());
            Process process = builder.start();
            byte[] errors = process.getErrorStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(shell + " did not end: " + commandLine);
            }
            return new Run(process.exitValue(), new String(errors, StandardCharsets.UTF_8), calls());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void clearRecords() throws IOException {
        try (Stream<Path> old = Files.list(records)) {
            for (Path record : old.toList()) {
                Files.delete(record);
            }
        }
    }

    private List<List<String>> calls() throws IOException {
        List<List<String>> calls = new ArrayList<>();
        try (Stream<Path> recorded = Files.list(records)) {
            for (Path record : recorded.sorted().toList()) {
                String text = Files.readString(record, StandardCharsets.UTF_8);
                List<String> words = new ArrayList<>(List.of(text.split("\0", -1)));
                words.remove(words.size() - 1);
                calls.add(words);
            }
        }
        return calls;
    }

    @Override
    public void close() {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
