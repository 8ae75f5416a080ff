package dev.apistep.bench;

import dev.apistep.state.DynamoDbStore;
import dev.apistep.state.RedisStore;
import dev.apistep.state.SharedStore;
import dev.apistep.support.Allowances;
import dev.apistep.support.DynaliteServer;
import dev.apistep.support.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * What a rate limit costs when instances share one bucket (contract §6): 1, 8 and 16 instances (each its own
 * store client, as each function process has) calling at once, one call every {@link #PACE_MS} each (as steps
 * come), on one key for a few seconds, on
 * an allowance they pass and on one they do not reach: calls admitted against the token bucket's bound, the store
 * requests per call (DynamoDB's conditional updates, counted at the SDK; Redis: one script) and the time per call.
 */
final class RateLimitContention {

    /** The first passed by every run within its burst, the second reached by none. */
    private static final List<Integer> ALLOWANCES = List.of(60, 1_000_000);
    private static final long BURST_MS = 3_000;
    private static final long TIMEOUT_MS = 1_000;
    private static final long PACE_MS = 20;

    private RateLimitContention() {
    }

    /** One caller's calls: how many were admitted, and each one's time (ns). */
    private record Calls(long admitted, List<Long> times) {
    }

    static void run(Report report) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(); DynaliteServer dynalite = DynaliteServer.start()) {
            AtomicLong requests = new AtomicLong();
            ExecutionInterceptor counting = new ExecutionInterceptor() {
                @Override
                public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                    requests.incrementAndGet();
                }
            };
            for (int allowance : ALLOWANCES) {
                for (int instances : List.of(1, 8, 16)) {
                    rows.add(burst("redis", allowance, instances,
                            () -> new RedisStore(redis.url(), Duration.ofSeconds(1)), null));
                    rows.add(burst("dynamodb", allowance, instances,
                            () -> new DynamoDbStore(dynalite.client(counting), DynaliteServer.TABLE), requests));
                }
            }
        }
        report.section("Shared state: a rate limit under contention");
        report.line("Instances (each its own store client) calling one bucket at once, each one call every " + PACE_MS
                + " ms, for " + BURST_MS / 1_000 + " s, on an allowance they pass and on one they do not reach: the bound is the"
                + " allowance plus the token bucket's refill while they ran. Requests per call: DynamoDB's conditional updates"
                + " (one per call, up to three when another instance changed the bucket, none for a bucket the"
                + " instance knows to be spent); Redis runs one script per call. Stores on loopback.");
        report.line("");
        report.table(List.of("store", "allowance a minute", "instances", "calls", "admitted", "bound", "requests per call",
                "p50 ms", "p99 ms", "max ms"), rows);
    }

    private static List<String> burst(String store, int allowance, int instances, Supplier<SharedStore> instance,
            AtomicLong requests) throws Exception {
        List<SharedStore> stores = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            stores.add(instance.get());
        }
        String key = UUID.randomUUID().toString();
        ExecutorService callers = Executors.newFixedThreadPool(instances);
        try {
            long requestsBefore = requests == null ? 0 : requests.get();
            long started = System.nanoTime();
            long until = started + TimeUnit.MILLISECONDS.toNanos(BURST_MS);
            List<Future<Calls>> callersCalls = new ArrayList<>();
            for (SharedStore each : stores) {
                callersCalls.add(callers.submit(() -> {
                    List<Long> times = new ArrayList<>();
                    long admitted = 0;
                    while (System.nanoTime() < until) {
                        long call = System.nanoTime();
                        admitted += each.tryAcquire(key, allowance, TIMEOUT_MS) ? 1 : 0;
                        times.add(System.nanoTime() - call);
                        Thread.sleep(PACE_MS);
                    }
                    return new Calls(admitted, times);
                }));
            }
            long admitted = 0;
            List<Long> all = new ArrayList<>();
            for (Future<Calls> each : callersCalls) {
                Calls calls = each.get(60, TimeUnit.SECONDS);
                admitted += calls.admitted();
                all.addAll(calls.times());
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            Report.Spread spread = Report.Spread.of(all.stream().mapToLong(Long::longValue).toArray(), 1_000_000.0);
            String perCall = requests == null ? "1" : Report.fixed((requests.get() - requestsBefore) / (double) all.size());
            return List.of(store, Integer.toString(allowance), Integer.toString(instances), Integer.toString(all.size()), Long.toString(admitted),
                    Long.toString(Allowances.mostAdmitted(allowance, elapsedMs)), perCall, Report.fixed(spread.p50()),
                    Report.fixed(spread.p99()), Report.fixed(spread.max()));
        } finally {
            callers.shutdown();
            stores.forEach(SharedStore::close);
        }
    }
}
