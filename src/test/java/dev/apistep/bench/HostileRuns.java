package dev.apistep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.support.HostileServer;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LocalRuntimeApi;
import dev.apistep.support.PackagedFunction;
import dev.apistep.support.StepEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What a hostile API costs the packaged function under the template's heap: a gzip bomb, an endless chunked
 * body and a backtracking regex capture, each run several times. Time to the answer, the answer's code, and how
 * far the process's resident set rose above where it stood before the step (sampled every 5 ms).
 * Target: RESPONSE_TOO_LARGE within 1 s, growth under 3 × the cap + 32 MB, no OutOfMemoryError.
 */
final class HostileRuns {

    private static final long CAP_BYTES = 1024 * 1024;
    private static final long INVOCATION_MS = 30_000;
    private static final String NAMES = "[{\"a\": \"" + "a".repeat(40) + "!\"}]";

    private HostileRuns() {
    }

    private record Case(String name, Supplier<HostileServer.Script> body, String capture, int timeoutMs) {
    }

    static void run(Report report, int runs) throws Exception {
        List<Case> cases = List.of(
                new Case("gzip bomb: 200 MB of zeros in ~200 KB", () -> HostileServer.encoded("gzip",
                        HostileServer.gzipOfZeros(200L * 1024 * 1024)), null, 60_000),
                new Case("chunked body of 300 MB, no Content-Length", () -> HostileServer.endlessChunks(300L * 1024 * 1024),
                        null, 60_000),
                new Case("regex capture `((a+)+)+b` on 40 × a, timeoutMs 1000", () -> HostileServer.raw(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + NAMES.length()
                                + "\r\n\r\n" + NAMES),
                        "[{\"variable\": \"m\", \"path\": \"$[?(@.a =~ /((a+)+)+b/)].a\"}]", 1_000));
        List<List<String>> rows = new ArrayList<>();
        try (LocalRuntimeApi runtime = new LocalRuntimeApi();
                PackagedFunction function = PackagedFunction.start(runtime.address(), PackagedRuns.ALLOWED,
                        plus(PackagedRuns.TEMPLATE_JVM, PackagedRuns.UNLIMITED), BenchmarkSuite.OUT.resolve("function-hostile.log"))) {
            for (Case hostile : cases) {
                // Run 0 is the process's first such step (class loading, compilation, heap growth): shown apart.
                long[] millis = new long[runs + 1];
                long[] growthKb = new long[runs + 1];
                String codes = "";
                for (int run = 0; run <= runs; run++) {
                    try (HostileServer server = new HostileServer(hostile.body().get())) {
                        StepEvents step = StepEvents.step("GET", server.url("/hostile"))
                                .options("{\"timeoutMs\": " + hostile.timeoutMs() + "}");
                        if (hostile.capture() != null) {
                            step.capture(hostile.capture());
                        }
                        long before = PackagedRuns.residentKb(function.pid());
                        AtomicLong peak = new AtomicLong(before);
                        AtomicBoolean sampling = new AtomicBoolean(true);
                        Thread sampler = new Thread(() -> sample(function.pid(), peak, sampling));
                        sampler.start();
                        long started = System.nanoTime();
                        JsonNode result = LambdaEvents.read(runtime.invoke(step.json().toString(), INVOCATION_MS)
                                .get(INVOCATION_MS, TimeUnit.MILLISECONDS));
                        millis[run] = (System.nanoTime() - started) / 1_000_000;
                        sampling.set(false);
                        sampler.join();
                        growthKb[run] = peak.get() - before;
                        String code = result.path("error").path("code").asText(result.path("branch").asText());
                        codes = codes.contains(code) ? codes : codes.isEmpty() ? code : codes + ", " + code;
                    }
                }
                long[] warmMillis = java.util.Arrays.copyOfRange(millis, 1, millis.length);
                long[] warmGrowthKb = java.util.Arrays.copyOfRange(growthKb, 1, growthKb.length);
                rows.add(List.of(hostile.name(), codes, millis[0] + " / " + growthKb[0] / 1024, range(warmMillis, 1),
                        range(warmGrowthKb, 1024)));
            }
        }
        report.section("Hostile responses");
        report.line("A first run, then " + runs + " measured runs per case on one packaged function with the template's JVM settings (`"
                + String.join(" ", PackagedRuns.TEMPLATE_JVM) + "`), default cap " + CAP_BYTES / 1024 + " KiB."
                + " Target: RESPONSE_TOO_LARGE within 1 s; RSS growth < 3 × cap + 32 MB (35 MB); no OutOfMemoryError"
                + " (the function answers every case and the next).");
        report.line("");
        report.table(List.of("case", "answer", "first run: ms / RSS growth MB", "ms (min–median–max)",
                "RSS growth MB (min–median–max)"), rows);
    }

    private static void sample(long pid, AtomicLong peak, AtomicBoolean sampling) {
        while (sampling.get()) {
            try {
                peak.accumulateAndGet(PackagedRuns.residentKb(pid), Math::max);
                Thread.sleep(5);
            } catch (Exception stopped) {
                return;
            }
        }
    }

    private static String range(long[] values, long divisor) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[0] / divisor + "–" + sorted[sorted.length / 2] / divisor + "–" + sorted[sorted.length - 1] / divisor;
    }

    private static List<String> plus(List<String> options, List<String> more) {
        List<String> all = new ArrayList<>(options);
        all.addAll(more);
        return all;
    }
}
