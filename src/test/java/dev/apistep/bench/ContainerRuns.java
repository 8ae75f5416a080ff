package dev.apistep.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import dev.apistep.support.ContainerFunction;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Container mode's throughput: the container build ({@code ./mvnw -Pcontainer package}) started as
 * {@link ContainerFunction}, {@code concurrency} callers posting the typical step to it for a fixed time
 * against the loopback target; steps per second and the process's resident memory.
 */
final class ContainerRuns {

    private ContainerRuns() {
    }

    static void run(Report report, TargetServer target, int concurrency, int seconds) throws Exception {
        report.section("Container mode throughput");
        if (!Files.exists(ContainerFunction.JAR)) {
            report.line("Skipped: build the container variant first (`./mvnw -Pcontainer package -DskipTests`).");
            return;
        }
        try (ContainerFunction function = ContainerFunction.start(List.of("-XX:+UseSerialGC", "-Xmx445m",
                "-Dapi-step.allowed-destinations=127.0.0.1", "-Dapi-step.rate-limit.per-tenant-per-minute=0",
                "-Dapi-step.rate-limit.per-destination-per-minute=0", "-Dapi-step.anonymous-callers=true"), BenchmarkSuite.OUT.resolve("container.log"))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest step = HttpRequest.newBuilder(URI.create(function.url()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Workloads.typicalStep(target.base()).toString())).build();
            drive(client, step, concurrency, 5);
            AtomicLong done = drive(client, step, concurrency, seconds);
            long rssKb = PackagedRuns.residentKb(function.pid());
            report.line(concurrency + " concurrent callers posting the typical step for " + seconds + " s (after 5 s of"
                    + " warm-up), JVM container build with `-XX:+UseSerialGC -Xmx445m`, target on loopback:");
            report.line("");
            report.table(List.of("steps/s", "RSS MB"), List.of(List.of(Long.toString(done.get() / seconds),
                    Long.toString(rssKb / 1024))));
        }
    }

    private static AtomicLong drive(HttpClient client, HttpRequest step, int concurrency, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService callers = Executors.newFixedThreadPool(concurrency);
        for (int i = 0; i < concurrency; i++) {
            callers.submit(() -> {
                while (System.nanoTime() < until) {
                    HttpResponse<String> response = client.send(step, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && response.body().contains("\"branch\":\"success\"")) {
                        done.incrementAndGet();
                    }
                }
                return null;
            });
        }
        callers.shutdown();
        callers.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        return done;
    }
}
