package dev.apistep.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** The benchmark report: Markdown, printed as it grows and written to a file at the end. */
final class Report {

    private final StringBuilder text = new StringBuilder();

    Report() {
        line("# api-step benchmark report");
        line("");
        line("Taken " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, "
                + (totalMemoryBytes() >> 30) + " GiB, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", JDK " + System.getProperty("java.vm.version")
                + ". JVM mode; the function runs as the packaged runner jar under AWS's runtime interface client.");
    }

    void section(String title) {
        line("");
        line("## " + title);
        line("");
    }

    void line(String line) {
        text.append(line).append('\n');
        System.out.println(line);
    }

    void table(List<String> header, List<List<String>> rows) {
        line("| " + String.join(" | ", header) + " |");
        line("|" + "---|".repeat(header.size()));
        rows.forEach(row -> line("| " + String.join(" | ", row) + " |"));
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Percentiles of nanosecond samples, in the unit of {@code divisor} (1_000 for µs). */
    record Spread(double p50, double p99, double max, int count) {

        static Spread of(long[] samples, double divisor) {
            long[] sorted = samples.clone();
            Arrays.sort(sorted);
            return new Spread(sorted[sorted.length / 2] / divisor, sorted[(int) (sorted.length * 0.99)] / divisor,
                    sorted[sorted.length - 1] / divisor, sorted.length);
        }
    }

    static String fixed(double value) {
        return String.format("%.2f", value);
    }

    private static long totalMemoryBytes() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    }
}
