package dev.apistep.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apistep.core.StoreUnavailableException;
import dev.apistep.support.BlackholeProxy;
import dev.apistep.support.DynaliteServer;
import dev.apistep.support.Allowances;
import dev.apistep.support.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The store contract on every implementation, the shared ones against real servers: allowances that hold
 * under concurrency, exclusive claims with replayable results, bounded recent runs, and a store that is gone
 * or frozen failing fast with {@link StoreUnavailableException}.
 */
class SharedStoresTest {

    private static final long TIMEOUT_MS = 2_000;
    private static RedisServer redis;
    private static RedisStore redisStore;
    private static DynaliteServer dynalite;
    private static DynamoDbStore dynamoStore;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        redisStore = new RedisStore(redis.url(), Duration.ofSeconds(1));
        dynalite = DynaliteServer.start();
        dynamoStore = new DynamoDbStore(dynalite.client(), DynaliteServer.TABLE);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            redisStore.close();
            dynamoStore.close();
        } finally {
            redis.close();
            dynalite.close();
        }
    }

    static Stream<SharedStore> stores() {
        return Stream.of(new MemoryStore(), redisStore, dynamoStore);
    }

    private static String fresh() {
        return UUID.randomUUID().toString();
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("stores")
    void anAllowanceIsTakenThenRefused(SharedStore store) {
        String key = fresh();
        for (int i = 0; i < 3; i++) {
            assertTrue(store.tryAcquire(key, 3, TIMEOUT_MS), "call " + i);
        }
        assertEquals(false, store.tryAcquire(key, 3, TIMEOUT_MS));
        assertTrue(store.tryAcquire(fresh(), 3, TIMEOUT_MS), "another key has its own allowance");
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("stores")
    void concurrentCallersTogetherTakeTheAllowanceNotMore(SharedStore store) throws Exception {
        String key = fresh();
        int allowance = 100;
        ExecutorService callers = Executors.newFixedThreadPool(8);
        long started = System.nanoTime();
        List<Future<Integer>> taken = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            taken.add(callers.submit(() -> {
                int mine = 0;
                for (int i = 0; i < 40; i++) {
                    mine += store.tryAcquire(key, allowance, TIMEOUT_MS) ? 1 : 0;
                }
                return mine;
            }));
        }
        int total = 0;
        for (Future<Integer> each : taken) {
            total += each.get(60, TimeUnit.SECONDS);
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        callers.shutdown();
        // 320 attempts on an allowance of 100: a token bucket's refill while they ran is all that may be added.
        assertTrue(total >= allowance && total <= Allowances.mostAdmitted(allowance, elapsedMs),
                total + " taken of " + allowance + " in " + elapsedMs + " ms");
    }

    static Stream<Arguments> sharedStoreInstances() {
        return Stream.of(
                Arguments.of("redis", (Supplier<SharedStore>) () -> new RedisStore(redis.url(), Duration.ofSeconds(1))),
                Arguments.of("dynamodb",
                        (Supplier<SharedStore>) () -> new DynamoDbStore(dynalite.client(), DynaliteServer.TABLE)));
    }

    /**
     * Sixteen instances (each with its own client, as each function process has) on one bucket, in a burst that
     * starts 1.5 s before the clock's minute changes and lasts 3 s: together they take the allowance plus the
     * refill, not an allowance on each side of the boundary, and no call fails (which would fail open).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedStoreInstances")
    void sixteenInstancesHoldTheAllowanceAcrossAMinuteBoundary(String name, Supplier<SharedStore> instance)
            throws Exception {
        int allowance = 50;
        List<SharedStore> instances = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            instances.add(instance.get());
        }
        ExecutorService callers = Executors.newFixedThreadPool(instances.size());
        try {
            String key = fresh();
            Allowances.sleepUntilBeforeAMinuteBoundary(1_500);
            long started = System.nanoTime();
            long until = started + TimeUnit.SECONDS.toNanos(3);
            List<Future<Integer>> taken = new ArrayList<>();
            for (SharedStore store : instances) {
                taken.add(callers.submit(() -> {
                    int mine = 0;
                    while (System.nanoTime() < until) {
                        mine += store.tryAcquire(key, allowance, TIMEOUT_MS) ? 1 : 0;
                        Thread.sleep(10);
                    }
                    return mine;
                }));
            }
            int total = 0;
            for (Future<Integer> each : taken) {
                total += each.get(60, TimeUnit.SECONDS);
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(total >= allowance && total <= Allowances.mostAdmitted(allowance, elapsedMs),
                    name + ": " + total + " taken of " + allowance + " a minute in " + elapsedMs + " ms");
        } finally {
            callers.shutdown();
            instances.forEach(SharedStore::close);
        }
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("stores")
    void aClaimIsExclusiveAndItsResultIsReplayed(SharedStore store) {
        String key = fresh();
        assertEquals(SharedStore.Claim.CLAIMED, store.claim(key, "first", Duration.ofMinutes(1), TIMEOUT_MS));
        assertEquals(SharedStore.Claim.RUNNING, store.claim(key, "second", Duration.ofMinutes(1), TIMEOUT_MS));
        store.complete(key, "second", "{\"not\":\"ours\"}", Duration.ofMinutes(1), TIMEOUT_MS);
        assertEquals(SharedStore.Claim.RUNNING, store.claim(key, "third", Duration.ofMinutes(1), TIMEOUT_MS),
                "a claim that is not ours cannot complete the key");
        store.complete(key, "first", "{\"branch\":\"success\"}", Duration.ofMinutes(1), TIMEOUT_MS);
        assertEquals(SharedStore.Claim.result("{\"branch\":\"success\"}"),
                store.claim(key, "fourth", Duration.ofMinutes(1), TIMEOUT_MS));
        store.release(key, "fourth", TIMEOUT_MS);
        assertEquals(SharedStore.Claim.Found.RESULT, store.claim(key, "fifth", Duration.ofMinutes(1), TIMEOUT_MS).found(),
                "a stored result is not released by another run");
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("stores")
    void aReleasedKeyRunsAgain(SharedStore store) {
        String key = fresh();
        assertEquals(SharedStore.Claim.CLAIMED, store.claim(key, "first", Duration.ofMinutes(1), TIMEOUT_MS));
        store.release(key, "first", TIMEOUT_MS);
        assertEquals(SharedStore.Claim.CLAIMED, store.claim(key, "second", Duration.ofMinutes(1), TIMEOUT_MS));
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("stores")
    void aRunningMarkExpiresSoACrashDoesNotBlockTheKey(SharedStore store) throws InterruptedException {
        String key = fresh();
        assertEquals(SharedStore.Claim.CLAIMED, store.claim(key, "crashed", Duration.ofMillis(100), TIMEOUT_MS));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        SharedStore.Claim again = store.claim(key, "later", Duration.ofMinutes(1), TIMEOUT_MS);
        while (again != SharedStore.Claim.CLAIMED && System.nanoTime() < until) {
            Thread.sleep(50);
            again = store.claim(key, "later", Duration.ofMinutes(1), TIMEOUT_MS);
        }
        assertEquals(SharedStore.Claim.CLAIMED, again);
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("stores")
    void runsAreNewestFirstAndOnlyTheNewestAreKept(SharedStore store) {
        String key = fresh();
        for (int i = 0; i < 25; i++) {
            store.record(key, "{\"n\":" + i + "}", 20, Duration.ofMinutes(1), TIMEOUT_MS);
        }
        List<String> runs = store.runs(key, TIMEOUT_MS);
        assertEquals(20, runs.size());
        assertEquals("{\"n\":24}", runs.get(0));
        assertEquals("{\"n\":5}", runs.get(19));
        assertEquals(List.of(), store.runs(fresh(), TIMEOUT_MS));
    }

    @Test
    void dynamoDbItemsCarryTheirExpiry() {
        String key = fresh();
        dynamoStore.claim(key, "t", Duration.ofMinutes(3), TIMEOUT_MS);
        dynamoStore.record(key, "{}", 20, Duration.ofDays(7), TIMEOUT_MS);
        long now = System.currentTimeMillis() / 1000;
        try (var client = dynalite.client()) {
            for (String pk : List.of("idem#" + key, "runs#" + key)) {
                var item = client.getItem(get -> get.tableName(DynaliteServer.TABLE)
                        .key(java.util.Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(pk))))
                        .item();
                long expiresAt = Long.parseLong(item.get("expiresAt").n());
                assertTrue(expiresAt > now && expiresAt <= now + Duration.ofDays(7).toSeconds() + 1, pk + " " + expiresAt);
            }
        }
    }

    @Test
    void aStoppedDynamoDbFailsFast() throws Exception {
        DynaliteServer lonely = DynaliteServer.start();
        try (DynamoDbStore store = new DynamoDbStore(lonely.client(), DynaliteServer.TABLE)) {
            assertTrue(store.tryAcquire(fresh(), 5, 1_000));
            lonely.pause();
            assertThrows(StoreUnavailableException.class, () -> store.tryAcquire(fresh(), 5, 300));
            lonely.resume();
            lonely.stop();
            assertThrows(StoreUnavailableException.class, () -> store.claim(fresh(), "t", Duration.ofSeconds(5), 300));
        } finally {
            lonely.close();
        }
    }

    @Test
    void redisKeysExpire() {
        String key = fresh();
        redisStore.tryAcquire(key, 5, TIMEOUT_MS);
        redisStore.claim(key, "t", Duration.ofMinutes(3), TIMEOUT_MS);
        redisStore.record(key, "{}", 20, Duration.ofDays(7), TIMEOUT_MS);
        assertTtlWithin("api-step:rl:" + key, 1, 60_000);
        assertTtlWithin("api-step:idem:" + key, 1, 180_000);
        assertTtlWithin("api-step:runs:" + key, 1, Duration.ofDays(7).toMillis());
    }

    private static void assertTtlWithin(String key, long min, long max) {
        String reply = redis.command("PTTL " + key);
        long ttl = Long.parseLong(reply.substring(1));
        assertTrue(ttl >= min && ttl <= max, key + " expires in " + ttl + " ms");
    }

    @Test
    void aStoppedStoreFailsFastAndAStartedOneIsUsedAgain() throws Exception {
        try (RedisServer lonely = RedisServer.start();
                RedisStore store = new RedisStore(lonely.url(), Duration.ofMillis(300))) {
            assertTrue(store.tryAcquire(fresh(), 5, 300));
            lonely.stop();
            assertThrows(StoreUnavailableException.class, () -> store.tryAcquire(fresh(), 5, 300));
            assertThrows(StoreUnavailableException.class, () -> store.claim(fresh(), "t", Duration.ofSeconds(5), 300));
            lonely.restart();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean back = false;
            while (!back && System.nanoTime() < until) {
                try {
                    back = store.tryAcquire(fresh(), 5, 300);
                } catch (StoreUnavailableException stillReconnecting) {
                    Thread.sleep(100);
                }
            }
            assertTrue(back, "the store is used again once it is back");
        }
    }

    /**
     * A connection that goes silent without closing keeps the request sent on it forever, and with it a place in
     * the client's pool (16): after enough of them no call would get a connection. Replacing the client after a
     * timeout keeps the store usable through more silent connections than the pool holds.
     */
    @Test
    void connectionsThatGoSilentDoNotUseUpThePool() throws Exception {
        try (BlackholeProxy proxy = new BlackholeProxy(redis.port());
                RedisStore store = new RedisStore("redis://127.0.0.1:" + proxy.port(), Duration.ofMillis(300))) {
            for (int round = 0; round < 20; round++) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                boolean answered = false;
                while (!answered && System.nanoTime() < until) {
                    try {
                        answered = store.tryAcquire(fresh(), 5, 300);
                    } catch (StoreUnavailableException stillWaiting) {
                        Thread.sleep(100);
                    }
                }
                assertTrue(answered, "round " + round + ": a fresh connection answers");
                proxy.silenceOpenConnections();
                assertThrows(StoreUnavailableException.class, () -> store.tryAcquire(fresh(), 5, 300));
            }
        }
    }

    @Test
    void aFrozenStoreTimesOutWithinTheBound() throws Exception {
        try (RedisServer frozen = RedisServer.start();
                RedisStore store = new RedisStore(frozen.url(), Duration.ofMillis(300))) {
            assertTrue(store.tryAcquire(fresh(), 5, 300));
            frozen.pause();
            long started = System.nanoTime();
            assertThrows(StoreUnavailableException.class, () -> store.tryAcquire(fresh(), 5, 200));
            assertThrows(StoreUnavailableException.class, () -> store.runs(fresh(), 200));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            // Two calls of 200 ms each: bounded by the timeout, not by the server (generous margin for a busy machine).
            assertTrue(elapsedMs < 5_000, elapsedMs + " ms");
            frozen.resume();
        }
    }
}
