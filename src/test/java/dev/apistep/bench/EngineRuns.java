package dev.apistep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The engine's cost per step with JMH (one fork, sample time, allocation per operation), and where the
 * typical step allocates, from a Flight Recorder recording of the same fork.
 */
final class EngineRuns {

    private static final Path RECORDING = BenchmarkSuite.OUT.resolve("engine.jfr");

    private EngineRuns() {
    }

    static void run(Report report) throws RunnerException, IOException {
        Collection<RunResult> results = new Runner(options(EngineBenchmark.class.getName(), 2)
                .addProfiler(GCProfiler.class).build()).run();
        // A separate fork of the typical step records allocations: the recording must not slow the timed runs.
        new Runner(options(EngineBenchmark.class.getName() + ".typicalStep", 1)
                .jvmArgsAppend("-XX:StartFlightRecording=filename=" + RECORDING.toAbsolutePath() + ",settings=profile")
                .build()).run();

        report.section("Engine overhead (JMH, no network)");
        report.line("Validate, render, header and destination checks, read the response, capture, assemble and write the"
                + " result, as `StepPipeline` runs them. Target: typical step median ≤ 50 µs.");
        report.line("");
        List<List<String>> rows = new ArrayList<>();
        for (RunResult result : results) {
            BenchmarkParams params = result.getParams();
            String name = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            String param = params.getParamsKeys().isEmpty() ? ""
                    : params.getParamsKeys().iterator().next() + "=" + params.getParam(params.getParamsKeys().iterator().next());
            var statistics = result.getPrimaryResult().getStatistics();
            rows.add(List.of(name, param, Report.fixed(statistics.getPercentile(50)), Report.fixed(statistics.getPercentile(99)),
                    allocation(result)));
        }
        report.table(List.of("benchmark", "input", "p50 µs", "p99 µs", "allocated KB/op"), rows);
        allocationSites(report);
    }

    /** JVM settings as the function's (the template's heap and collector); the hosts file answers api.example.com. */
    private static org.openjdk.jmh.runner.options.ChainedOptionsBuilder options(String include, int seconds) {
        Path hosts = Path.of("target", "test-classes", "hosts", "bench.hosts").toAbsolutePath();
        return new OptionsBuilder()
                .include(include)
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(5).measurementTime(TimeValue.seconds(seconds))
                .jvmArgs("-Djdk.net.hosts.file=" + hosts, "-XX:+UseSerialGC", "-Xmx445m");
    }

    private static String allocation(RunResult result) {
        Map<String, Result> secondary = result.getSecondaryResults();
        Result normalized = secondary.containsKey("gc.alloc.rate.norm") ? secondary.get("gc.alloc.rate.norm")
                : secondary.get("·gc.alloc.rate.norm");
        return normalized == null ? "?" : Report.fixed(normalized.getScore() / 1024);
    }

    /** The first project or library frame of each allocation sample, by sampled weight: where the bytes go. */
    private static void allocationSites(Report report) throws IOException {
        if (!Files.exists(RECORDING)) {
            return;
        }
        Map<String, Long> bySite = new HashMap<>();
        long total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(RECORDING)) {
            if (!event.getEventType().getName().equals("jdk.ObjectAllocationSample") || event.getStackTrace() == null) {
                continue;
            }
            long weight = event.getLong("weight");
            total += weight;
            bySite.merge(site(event.getStackTrace().getFrames()), weight, Long::sum);
        }
        if (total == 0) {
            return;
        }
        report.line("");
        report.line("Where the typical step allocates (Flight Recorder allocation samples of a separate fork; first frame"
                + " outside the JDK):");
        report.line("");
        long all = total;
        List<List<String>> rows = bySite.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(12)
                .map(entry -> List.of("`" + entry.getKey() + "`", Report.fixed(100.0 * entry.getValue() / all)))
                .toList();
        report.table(List.of("allocation site", "% of sampled bytes"), rows);
    }

    private static String site(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
            }
        }
        return frames.isEmpty() ? "?" : frames.get(0).getMethod().getType().getName() + "." + frames.get(0).getMethod().getName();
    }
}
