package dev.apistep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LocalRuntimeApi;
import dev.apistep.support.PackagedFunction;
import dev.apistep.support.StepEvents;
import dev.apistep.support.TestPki;
import dev.apistep.support.TlsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged function measured as Lambda runs it: the runner jar under AWS's runtime interface client,
 * polling a Runtime API on loopback, calling servers on loopback; with the JVM settings of the SAM template
 * for a 512 MB function.
 */
final class PackagedRuns implements AutoCloseable {

    /** The SAM template's JAVA_TOOL_OPTIONS, Lambda's serial collector, and the heap Lambda gives 512 MB. */
    static final List<String> TEMPLATE_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx445m");
    /** Benchmarks call one host thousands of times a minute: the per-tenant and per-destination limits are off. */
    static final List<String> UNLIMITED = Stream.concat(Stream.of(
            "-Dapi-step.rate-limit.per-tenant-per-minute=0", "-Dapi-step.rate-limit.per-destination-per-minute=0"),
            // -Dbench.function-options="..." adds options to the function's JVM, e.g. a Flight Recorder profile.
            Stream.of(System.getProperty("bench.function-options", "").split(" ")).filter(option -> !option.isBlank()))
            .toList();
    static final String ALLOWED = "127.0.0.1,localhost";
    /** An event the handler answers itself: the Runtime API and runtime interface client's own round trip. */
    private static final String NOT_JSON = "{not json";
    private static final long INVOCATION_MS = 30_000;

    private final TargetServer target;
    private final TlsServer tls;
    private final TlsServer mutualTls;
    private final TestPki.Identity authority;
    private final TestPki.Identity client;

    PackagedRuns(TargetServer target) throws Exception {
        this.target = target;
        authority = TestPki.authority("CN=Bench Server CA");
        TestPki.Identity server = TestPki.server(authority, "localhost");
        TestPki.Identity clientAuthority = TestPki.authority("CN=Bench Client CA");
        client = TestPki.client(clientAuthority, "bench-client", "RSA");
        tls = new TlsServer(server, null);
        mutualTls = new TlsServer(server, clientAuthority);
    }

    private static JsonNode invoke(LocalRuntimeApi runtime, String event) throws Exception {
        return LambdaEvents.read(runtime.invoke(event, INVOCATION_MS).get(INVOCATION_MS, TimeUnit.MILLISECONDS));
    }

    private static long timedInvoke(LocalRuntimeApi runtime, String event) throws Exception {
        long started = System.nanoTime();
        JsonNode result = invoke(runtime, event);
        long elapsed = System.nanoTime() - started;
        if (!"success".equals(result.path("branch").asText())) {
            throw new IllegalStateException("benchmark step failed: " + result);
        }
        return elapsed;
    }

    private String typicalEvent() {
        return Workloads.typicalStep(target.base()).toString();
    }

    private String tlsEvent(boolean mutual) {
        ObjectNode event = StepEvents.step("GET", (mutual ? mutualTls : tls).url("localhost")).json();
        ObjectNode material = event.with("step").putObject("tls").put("caCertificates", authority.certificatePem());
        if (mutual) {
            material.put("clientCertificate", client.chainPem()).put("clientKey", client.pkcs8Pem());
        }
        return event.toString();
    }

    /** Warm invocations against raw HTTP calls to the same server, interleaved; then connections per host. */
    void warm(Report report, int pairs) throws Exception {
        HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ObjectNode step = Workloads.typicalStep(target.base());
        HttpRequest rawRequest = HttpRequest.newBuilder(URI.create(target.base() + "/orders/A-17"))
                .header("Content-Type", "application/json").header("X-Conversation", "c-9")
                .POST(HttpRequest.BodyPublishers.ofString("{\"order\": \"A-17\", \"note\": \"He said\", \"count\": 3}"))
                .build();
        String event = step.toString();
        String renderOnly = step.deepCopy().put("mode", "render").toString();
        try (LocalRuntimeApi runtime = new LocalRuntimeApi();
                PackagedFunction function = PackagedFunction.start(runtime.address(), ALLOWED, plus(TEMPLATE_JVM, UNLIMITED),
                        BenchmarkSuite.OUT.resolve("function-warm.log"))) {
            for (int i = 0; i < 500; i++) {
                timedInvoke(runtime, event);
                raw.send(rawRequest, HttpResponse.BodyHandlers.ofByteArray());
            }
            long[] invocations = new long[pairs];
            long[] floors = new long[pairs];
            long[] renders = new long[pairs];
            long[] calls = new long[pairs];
            long[] added = new long[pairs];
            for (int i = 0; i < pairs; i++) {
                long floorStarted = System.nanoTime();
                invoke(runtime, NOT_JSON);
                floors[i] = System.nanoTime() - floorStarted;
                renders[i] = timedInvoke(runtime, renderOnly);
                invocations[i] = timedInvoke(runtime, event);
                long started = System.nanoTime();
                raw.send(rawRequest, HttpResponse.BodyHandlers.ofByteArray());
                calls[i] = System.nanoTime() - started;
                added[i] = invocations[i] - calls[i];
            }
            Report.Spread invocation = Report.Spread.of(invocations, 1_000_000.0);
            Report.Spread call = Report.Spread.of(calls, 1_000_000.0);
            Report.Spread render = Report.Spread.of(renders, 1_000_000.0);
            Report.Spread floor = Report.Spread.of(floors, 1_000_000.0);
            Report.Spread extra = Report.Spread.of(added, 1_000_000.0);
            report.section("Warm invocation through the Lambda path");
            report.line("The typical step (POST, 5 headers, JSON body, 5 captures, 2 KB JSON answer) invoked through a"
                    + " loopback Runtime API and AWS's runtime interface client, interleaved with the same request sent"
                    + " straight to the same server by the JDK's HttpClient from the benchmark's JVM. " + pairs
                    + " pairs after 500 warm-up pairs. Target: median added latency ≤ 1 ms. Two more series split the"
                    + " path: the same step in render mode (everything but the call), and an event the handler answers"
                    + " before Funqy (the Runtime API round trip through the runtime interface client alone).");
            report.line("");
            report.table(List.of("", "p50 ms", "p99 ms", "max ms"), List.of(
                    List.of("invocation", Report.fixed(invocation.p50()), Report.fixed(invocation.p99()), Report.fixed(invocation.max())),
                    List.of("raw HTTP call", Report.fixed(call.p50()), Report.fixed(call.p99()), Report.fixed(call.max())),
                    List.of("invocation, render mode (no call)", Report.fixed(render.p50()), Report.fixed(render.p99()), Report.fixed(render.max())),
                    List.of("invocation answered before Funqy (not JSON)", Report.fixed(floor.p50()), Report.fixed(floor.p99()), Report.fixed(floor.max())),
                    List.of("added (per pair)", Report.fixed(extra.p50()), Report.fixed(extra.p99()), Report.fixed(extra.max()))));

            target.takeConnectionCount();
            for (int i = 0; i < 1000; i++) {
                timedInvoke(runtime, event);
            }
            report.line("");
            report.line("Connections: 1,000 warm invocations of the step to one host opened **"
                    + target.takeConnectionCount() + "** TCP connection(s) at the server (target ≤ 2).");
        }
    }

    /** Warm steps over TLS and mutual TLS to the same kind of server, interleaved. */
    void tlsCost(Report report, int pairs) throws Exception {
        String plain = tlsEvent(false);
        String mutual = tlsEvent(true);
        try (LocalRuntimeApi runtime = new LocalRuntimeApi();
                PackagedFunction function = PackagedFunction.start(runtime.address(), ALLOWED, plus(TEMPLATE_JVM, UNLIMITED),
                        BenchmarkSuite.OUT.resolve("function-tls.log"))) {
            for (int i = 0; i < 300; i++) {
                timedInvoke(runtime, plain);
                timedInvoke(runtime, mutual);
            }
            long[] plainTimes = new long[pairs];
            long[] mutualTimes = new long[pairs];
            for (int i = 0; i < pairs; i++) {
                plainTimes[i] = timedInvoke(runtime, plain);
                mutualTimes[i] = timedInvoke(runtime, mutual);
            }
            Report.Spread plainSpread = Report.Spread.of(plainTimes, 1_000_000.0);
            Report.Spread mutualSpread = Report.Spread.of(mutualTimes, 1_000_000.0);
            report.section("TLS and mutual TLS, warm");
            report.line(pairs + " interleaved pairs of GET steps to two JDK HTTPS servers on loopback (one requiring an RSA"
                    + " client certificate), after 300 warm-up pairs. Target: mTLS ≤ 1.2 × TLS.");
            report.line("");
            report.table(List.of("", "p50 ms", "p99 ms", "max ms"), List.of(
                    List.of("TLS", Report.fixed(plainSpread.p50()), Report.fixed(plainSpread.p99()), Report.fixed(plainSpread.max())),
                    List.of("mutual TLS", Report.fixed(mutualSpread.p50()), Report.fixed(mutualSpread.p99()), Report.fixed(mutualSpread.max()))));
            report.line("");
            report.line("mTLS / TLS (medians): **" + Report.fixed(mutualSpread.p50() / plainSpread.p50()) + "**");
        }
    }

    /** Resident memory through many mixed invocations: plain, JSON, TLS, mTLS and failures. */
    void memory(Report report, int invocations) throws Exception {
        List<String> mix = List.of(
                StepEvents.step("GET", target.base() + "/orders/A-17").json().toString(),
                typicalEvent(),
                tlsEvent(false),
                tlsEvent(true),
                StepEvents.step("GET", target.base() + "/missing").json().toString(),
                StepEvents.step("GET", "http://10.0.0.1/internal").json().toString(),
                StepEvents.step("GET", "http://127.0.0.1:9/closed").options("{\"retry\": {\"maxAttempts\": 1}}").json().toString());
        List<List<String>> rows = new ArrayList<>();
        long afterWarmUp = 0;
        long last = 0;
        try (LocalRuntimeApi runtime = new LocalRuntimeApi();
                PackagedFunction function = PackagedFunction.start(runtime.address(), ALLOWED, plus(TEMPLATE_JVM, UNLIMITED),
                        BenchmarkSuite.OUT.resolve("function-memory.log"))) {
            for (int i = 1; i <= invocations; i++) {
                invoke(runtime, mix.get(i % mix.size()));
                if (i % 1000 == 0) {
                    last = residentKb(function.pid());
                    rows.add(List.of(Integer.toString(i), Long.toString(last / 1024)));
                    if (i == 2000) {
                        afterWarmUp = last;
                    }
                }
            }
        }
        report.section("Memory");
        report.line(invocations + " invocations cycling through plain GET, JSON POST, TLS, mTLS, a 404, a refused"
                + " destination and a closed port, with the template's JVM settings (`" + String.join(" ", TEMPLATE_JVM)
                + "`). Resident set size of the function's process (VmRSS). Target: flat after warm-up, < 256 MB.");
        report.line("");
        report.table(List.of("invocations", "RSS MB"), rows);
        report.line("");
        report.line("Growth from 2,000 to " + invocations + " invocations: **" + (last - afterWarmUp) / 1024 + " MB**;"
                + " final **" + last / 1024 + " MB**.");
    }

    /**
     * Process start to the first result, for each JDK (the benchmark's own, and those named by {@code bench.jdks},
     * by default every Temurin 25 under /usr/lib/jvm) and each JVM option set: full tiered, C1 only, and each with
     * the class archive the JDK offers (AppCDS on 17, the AOT cache of JEP 483/514 on 24+), dumped by a training run
     * of 20 steps on that JDK. Runs interleaved across all of them; median and range over the runs.
     */
    void coldStart(Report report, int runs) throws Exception {
        List<String> serial = List.of("-XX:+UseSerialGC", "-Xmx445m");
        List<Option> options = new ArrayList<>();
        for (Jdk jdk : jdks()) {
            Path archive = BenchmarkSuite.OUT.resolve("api-step-" + jdk.feature() + (jdk.aotCache() ? ".aot" : ".jsa")).toAbsolutePath();
            Files.deleteIfExists(archive);
            trainClassArchive(jdk, archive);
            List<String> use = List.of(jdk.aotCache() ? "-XX:AOTCache=" + archive : "-XX:SharedArchiveFile=" + archive);
            String cache = jdk.aotCache() ? "AOT cache" : "AppCDS archive";
            options.add(new Option(jdk, "full tiered compilation (C1+C2)", serial));
            options.add(new Option(jdk, "C1 only: -XX:TieredStopAtLevel=1 (the template)", TEMPLATE_JVM));
            options.add(new Option(jdk, "C1 only + " + cache, plus(TEMPLATE_JVM, use)));
            options.add(new Option(jdk, "full tiered + " + cache, plus(serial, use)));
        }
        long[][] times = new long[options.size()][runs];
        String event = typicalEvent();
        for (int run = 0; run < runs; run++) {
            for (int o = 0; o < options.size(); o++) {
                times[o][run] = firstResult(options.get(o), event);
            }
        }
        report.section("Cold start");
        report.line("Process start to the first result through AWS's runtime interface client (Quarkus boot, first step with"
                + " its first connection), " + runs + " runs per JDK and option set, interleaved. Target: ≤ 1.5 s. SnapStart"
                + " cannot run here (it restores a snapshot inside Lambda); each class archive was dumped by one training run"
                + " of 20 steps on its JDK, C1 only.");
        report.line("");
        List<List<String>> rows = new ArrayList<>();
        for (int o = 0; o < options.size(); o++) {
            long[] sorted = times[o].clone();
            java.util.Arrays.sort(sorted);
            rows.add(List.of(options.get(o).jdk().name(), options.get(o).name(),
                    Long.toString(Math.round(Report.Spread.of(times[o], 1_000_000.0).p50())),
                    sorted[0] / 1_000_000 + "–" + sorted[sorted.length - 1] / 1_000_000));
        }
        report.table(List.of("JDK", "JVM options", "median ms", "min–max ms"), rows);
    }

    /** A JDK to start the function on: its home and its feature release (17, 25). */
    private record Jdk(Path home, int feature) {

        String name() {
            return "JDK " + feature + " (" + home.getFileName() + ")";
        }

        /** JDK 24+ dumps an AOT cache (JEP 483); earlier ones an AppCDS archive. */
        boolean aotCache() {
            return feature >= 24;
        }

        static Jdk at(Path home) throws java.io.IOException {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return new Jdk(home, Integer.parseInt(version.split("[.+-]")[0]));
                }
            }
            throw new IllegalStateException("no JAVA_VERSION in " + home.resolve("release"));
        }
    }

    /** The benchmark's JDK, then {@code bench.jdks} (java homes, comma-separated) or every Temurin 25 here. */
    private static List<Jdk> jdks() throws java.io.IOException {
        List<Path> homes = new ArrayList<>();
        homes.add(Path.of(System.getProperty("java.home")));
        String named = System.getProperty("bench.jdks", "");
        if (!named.isBlank()) {
            for (String home : named.split(",")) {
                homes.add(Path.of(home.trim()));
            }
        } else if (Files.isDirectory(Path.of("/usr/lib/jvm"))) {
            try (Stream<Path> installed = Files.list(Path.of("/usr/lib/jvm"))) {
                installed.filter(home -> home.getFileName().toString().startsWith("temurin-25")
                        && Files.exists(home.resolve("release"))).sorted().forEach(homes::add);
            }
        }
        List<Jdk> jdks = new ArrayList<>();
        for (Path home : homes) {
            Jdk jdk = Jdk.at(home);
            if (jdks.stream().noneMatch(known -> known.feature() == jdk.feature())) {
                jdks.add(jdk);
            }
        }
        return jdks;
    }

    private record Option(Jdk jdk, String name, List<String> jvm) {
    }

    private static List<String> plus(List<String> options, List<String> more) {
        List<String> all = new ArrayList<>(options);
        all.addAll(more);
        return all;
    }

    private long firstResult(Option option, String event) throws Exception {
        try (LocalRuntimeApi runtime = new LocalRuntimeApi()) {
            var answer = runtime.invoke(event, INVOCATION_MS);
            long started = System.nanoTime();
            try (PackagedFunction function = PackagedFunction.start(runtime.address(), ALLOWED, option.jdk().home(),
                    plus(option.jvm(), UNLIMITED), BenchmarkSuite.OUT.resolve("function-cold.log"))) {
                JsonNode result = LambdaEvents.read(answer.get(INVOCATION_MS, TimeUnit.MILLISECONDS));
                long elapsed = System.nanoTime() - started;
                if (!"success".equals(result.path("branch").asText())) {
                    throw new IllegalStateException("cold step failed on " + option.jdk().name() + ", " + option.name() + ": " + result);
                }
                return elapsed;
            }
        }
    }

    private void trainClassArchive(Jdk jdk, Path archive) throws Exception {
        String dump = jdk.aotCache() ? "-XX:AOTCacheOutput=" + archive : "-XX:ArchiveClassesAtExit=" + archive;
        try (LocalRuntimeApi runtime = new LocalRuntimeApi()) {
            PackagedFunction function = PackagedFunction.start(runtime.address(), ALLOWED, jdk.home(),
                    plus(plus(TEMPLATE_JVM, UNLIMITED), List.of(dump)), BenchmarkSuite.OUT.resolve("function-training-" + jdk.feature() + ".log"));
            for (int i = 0; i < 10; i++) {
                invoke(runtime, typicalEvent());
                invoke(runtime, tlsEvent(true));
            }
            if (!function.stopAndWait(120) || !Files.exists(archive)) {
                throw new IllegalStateException("the class archive was not written: " + archive);
            }
        }
    }

    static long residentKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    @Override
    public void close() {
        tls.close();
        mutualTls.close();
    }
}
