package dev.apistep.bench;

import java.nio.file.Path;
import java.util.Set;

/**
 * The benchmark suite ({@code ./mvnw -Pbench package}): the engine's own cost (JMH), warm invocations
 * through the Lambda path against raw HTTP calls, connections per host, TLS against mutual TLS, memory
 * over many invocations, cold start per JVM option set, what hostile responses cost, and container mode's throughput. Prints a Markdown report and writes it to
 * {@code target/benchmark/report.md}. {@code -Dbench.parts=engine,warm,tls,memory,cold,hostile,container,state} picks parts (state: what
 * each shared store adds to a step, and a rate limit shared by instances under contention).
 */
public final class BenchmarkSuite {

    static final Path OUT = Path.of("target", "benchmark");

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        Set<String> parts = Set.of(System.getProperty("bench.parts", "engine,warm,tls,memory,cold,hostile,container,state").split(","));
        java.nio.file.Files.createDirectories(OUT);
        Report report = new Report();
        if (parts.contains("engine")) {
            EngineRuns.run(report);
        }
        try (TargetServer target = new TargetServer(); PackagedRuns packaged = new PackagedRuns(target)) {
            if (parts.contains("warm")) {
                packaged.warm(report, 2500);
            }
            if (parts.contains("tls")) {
                packaged.tlsCost(report, 1000);
            }
            if (parts.contains("memory")) {
                packaged.memory(report, 10_000);
            }
            if (parts.contains("cold")) {
                packaged.coldStart(report, 5);
            }
            if (parts.contains("hostile")) {
                HostileRuns.run(report, 5);
            }
            if (parts.contains("container")) {
                ContainerRuns.run(report, target, 32, 20);
            }
            if (parts.contains("state")) {
                StateRuns.run(report, target, 1000);
                RateLimitContention.run(report);
            }
        }
        Path file = OUT.resolve("report.md");
        report.write(file);
        System.out.println();
        System.out.println("Report written to " + file.toAbsolutePath());
    }
}
