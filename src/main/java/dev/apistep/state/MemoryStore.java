package dev.apistep.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default store: this function instance's memory. Every feature works, but only within one instance
 * (each Lambda instance or pod has its own allowance, idempotency records and recent runs). Bounded: past
 * {@link #MAX_KEYS} keys per kind, the least recently used is forgotten.
 */
public final class MemoryStore implements SharedStore {

    static final int MAX_KEYS = 10_000;
    private static final double MILLIS_PER_MINUTE = 60_000;
    private static final String RUNNING = "R:";
    private static final String DONE = "D:";

    private static final class Bucket {
        double tokens;
        long refilledAt;
    }

    private record Expiring<T>(T value, long expiresAt) {
        boolean live(long now) {
            return now < expiresAt;
        }
    }

    private final Map<String, Bucket> buckets = lru();
    private final Map<String, Expiring<String>> records = lru();
    private final Map<String, Expiring<List<String>>> histories = lru();

    /** Keeps the {@link #MAX_KEYS} most recently used keys (not thread-safe). */
    static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_KEYS;
            }
        };
    }

    @Override
    public synchronized boolean tryAcquire(String key, int perMinute, long timeoutMs) {
        long now = System.currentTimeMillis();
        Bucket bucket = buckets.computeIfAbsent(key, fresh -> {
            Bucket full = new Bucket();
            full.tokens = perMinute;
            full.refilledAt = now;
            return full;
        });
        bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.refilledAt) * perMinute / MILLIS_PER_MINUTE);
        bucket.refilledAt = now;
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }

    @Override
    public synchronized Claim claim(String key, String token, Duration running, long timeoutMs) {
        long now = System.currentTimeMillis();
        Expiring<String> found = records.get(key);
        if (found != null && found.live(now)) {
            return found.value().startsWith(DONE) ? Claim.result(found.value().substring(DONE.length())) : Claim.RUNNING;
        }
        records.put(key, new Expiring<>(RUNNING + token, now + running.toMillis()));
        return Claim.CLAIMED;
    }

    @Override
    public synchronized void complete(String key, String token, String result, Duration keep, long timeoutMs) {
        if (ours(key, token)) {
            records.put(key, new Expiring<>(DONE + result, System.currentTimeMillis() + keep.toMillis()));
        }
    }

    @Override
    public synchronized void release(String key, String token, long timeoutMs) {
        if (ours(key, token)) {
            records.remove(key);
        }
    }

    private boolean ours(String key, String token) {
        Expiring<String> found = records.get(key);
        return found != null && found.live(System.currentTimeMillis()) && found.value().equals(RUNNING + token);
    }

    @Override
    public synchronized void record(String key, String run, int keep, Duration ttl, long timeoutMs) {
        long now = System.currentTimeMillis();
        Expiring<List<String>> found = histories.get(key);
        List<String> runs = new ArrayList<>(keep);
        runs.add(run);
        if (found != null && found.live(now)) {
            runs.addAll(found.value().subList(0, Math.min(keep - 1, found.value().size())));
        }
        histories.put(key, new Expiring<>(List.copyOf(runs), now + ttl.toMillis()));
    }

    @Override
    public synchronized List<String> runs(String key, long timeoutMs) {
        Expiring<List<String>> found = histories.get(key);
        return found == null || !found.live(System.currentTimeMillis()) ? List.of() : found.value();
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void close() {
    }
}
