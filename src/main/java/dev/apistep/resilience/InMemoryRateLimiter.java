package dev.apistep.resilience;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets in this function instance's memory: each key holds up to its per-minute allowance and
 * refills continuously, so a burst is allowed and a steady rate above the allowance is not.
 */
public final class InMemoryRateLimiter implements RateLimiter {

    /** Keys remembered at once; a forgotten key starts with a full allowance. */
    static final int MAX_KEYS = 10_000;
    private static final double MILLIS_PER_MINUTE = 60_000;

    private static final class Bucket {
        double tokens;
        long refilledAt;
    }

    private final Map<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_KEYS;
        }
    };

    @Override
    public synchronized boolean tryAcquire(String key, int perMinute) {
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
}
