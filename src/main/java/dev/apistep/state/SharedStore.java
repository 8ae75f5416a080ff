package dev.apistep.state;

import java.time.Duration;
import java.util.List;

/**
 * What the function remembers across invocations and instances (contract §6): rate-limit buckets,
 * idempotency records and recent runs. Each operation is atomic in the store, so that concurrent instances
 * cannot double-spend an allowance or both claim one key. Every call is bounded by {@code timeoutMs}; a store
 * that does not answer in time, or at all, throws {@link dev.apistep.core.StoreUnavailableException}.
 * Keys are opaque text; each implementation adds its own prefix.
 */
public interface SharedStore extends AutoCloseable {

    /** Takes one call from {@code key}'s allowance of {@code perMinute} (a token bucket); false when none is left. */
    boolean tryAcquire(String key, int perMinute, long timeoutMs);

    /**
     * Claims {@code key} for one run, marked as running for {@code running} (then the mark expires, so a crashed
     * run does not block the key forever); {@code token} identifies this run's claim.
     */
    Claim claim(String key, String token, Duration running, long timeoutMs);

    /** Replaces this run's mark with its result, kept for {@code keep}; nothing when the mark is no longer ours. */
    void complete(String key, String token, String result, Duration keep, long timeoutMs);

    /** Drops this run's mark (the step may run again); nothing when the mark is no longer ours. */
    void release(String key, String token, long timeoutMs);

    /** Adds {@code run} as the newest of {@code key}'s runs, keeping the newest {@code keep}, all for {@code ttl}. */
    void record(String key, String run, int keep, Duration ttl, long timeoutMs);

    /** {@code key}'s runs, newest first. */
    List<String> runs(String key, long timeoutMs);

    /** {@code memory}, {@code redis}, {@code dynamodb}: for the log. */
    String name();

    @Override
    void close();

    /** What {@link #claim} found: nothing (the key is now ours), a run still going, or a stored result. */
    record Claim(Found found, String result) {

        public enum Found {
            NOTHING, RUNNING, RESULT
        }

        public static final Claim CLAIMED = new Claim(Found.NOTHING, null);
        public static final Claim RUNNING = new Claim(Found.RUNNING, null);

        public static Claim result(String stored) {
            return new Claim(Found.RESULT, stored);
        }
    }
}
