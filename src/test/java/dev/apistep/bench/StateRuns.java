package dev.apistep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.support.DynaliteServer;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LocalRuntimeApi;
import dev.apistep.support.PackagedFunction;
import dev.apistep.support.RedisServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the shared store adds to a step (contract §6): the typical step with every feature on (tenant and
 * destination limits, a fresh idempotency key, recent runs: five store calls) on each store, the stores on
 * loopback (real servers: redis-server, dynalite). Loopback leaves out the network to a real store
 * (ElastiCache in the same VPC: well under 1 ms; DynamoDB in the region: a few ms per request).
 */
final class StateRuns {

    private static final long INVOCATION_MS = 30_000;

    private StateRuns() {
    }

    static void run(Report report, TargetServer target, int steps) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        Report.Spread memory = null;
        for (String store : List.of("memory", "redis", "dynamodb")) {
            Report.Spread spread = measure(store, target, steps);
            if (memory == null) {
                memory = spread;
            }
            rows.add(List.of(store, Report.fixed(spread.p50()), Report.fixed(spread.p99()), Report.fixed(spread.max()),
                    Report.fixed(spread.p50() - memory.p50()), Report.fixed(spread.p99() - memory.p99())));
        }
        report.section("Shared state: what each store adds to a step");
        report.line("The typical step with every shared-state feature on: tenant and destination rate limits, a fresh"
                + " idempotency key (claimed, then its result stored) and recent runs, i.e. five store calls per step;"
                + " " + steps + " warm invocations per store after 300 warm-up ones, one packaged function per store."
                + " The stores run on loopback (redis-server; dynalite, a Node.js implementation of DynamoDB's API,"
                + " slower than DynamoDB itself but without the network): add the network round trips of a real store.");
        report.line("");
        report.table(List.of("store", "p50 ms", "p99 ms", "max ms", "added p50 ms", "added p99 ms"), rows);
    }

    private static Report.Spread measure(String store, TargetServer target, int steps) throws Exception {
        RedisServer redis = null;
        DynaliteServer dynalite = null;
        Map<String, String> settings = new HashMap<>(Map.of("API_STEP_STATE", store, "API_STEP_HISTORY_ENABLED", "true",
                "API_STEP_RATE_LIMIT_PER_TENANT_PER_MINUTE", "100000000",
                "API_STEP_RATE_LIMIT_PER_DESTINATION_PER_MINUTE", "100000000"));
        try {
            if (store.equals("redis")) {
                redis = RedisServer.start();
                settings.put("API_STEP_REDIS_URL", redis.url());
            } else if (store.equals("dynamodb")) {
                dynalite = DynaliteServer.start();
                settings.putAll(Map.of("API_STEP_DYNAMODB_TABLE", DynaliteServer.TABLE,
                        "AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint(), "AWS_REGION", DynaliteServer.REGION,
                        "AWS_ACCESS_KEY_ID", DynaliteServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", DynaliteServer.SECRET_KEY));
            }
            try (LocalRuntimeApi runtime = new LocalRuntimeApi();
                    PackagedFunction function = PackagedFunction.start(runtime.address(), PackagedRuns.ALLOWED,
                            PackagedRuns.TEMPLATE_JVM, BenchmarkSuite.OUT.resolve("function-state-" + store + ".log"),
                            settings)) {
                for (int i = 0; i < 300; i++) {
                    timedInvoke(runtime, event(target, i));
                }
                long[] times = new long[steps];
                for (int i = 0; i < steps; i++) {
                    times[i] = timedInvoke(runtime, event(target, i));
                }
                return Report.Spread.of(times, 1_000_000.0);
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
            if (dynalite != null) {
                dynalite.close();
            }
        }
    }

    private static String event(TargetServer target, int n) {
        ObjectNode event = Workloads.typicalStep(target.base());
        event.put("idempotencyKey", UUID.randomUUID().toString());
        ((ObjectNode) event.get("step")).put("id", "bench-step-" + (n % 10));
        return event.toString();
    }

    private static long timedInvoke(LocalRuntimeApi runtime, String event) throws Exception {
        long started = System.nanoTime();
        JsonNode result = LambdaEvents.read(runtime.invoke(event, INVOCATION_MS).get(INVOCATION_MS, TimeUnit.MILLISECONDS));
        long elapsed = System.nanoTime() - started;
        if (!"success".equals(result.path("branch").asText()) || !result.path("warnings").isEmpty()
                && result.path("warnings").toString().contains("shared store")) {
            throw new IllegalStateException("benchmark step failed or went without its store: " + result);
        }
        return elapsed;
    }
}
