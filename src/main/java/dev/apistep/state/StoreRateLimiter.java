package dev.apistep.state;

import dev.apistep.core.Deadline;
import dev.apistep.resilience.RateLimiter;

/** The rate limits' buckets in the configured store: one allowance for all instances on a shared store. */
public final class StoreRateLimiter implements RateLimiter {

    private final SharedStore store;
    private final StoreTimeouts timeouts;

    public StoreRateLimiter(SharedStore store, StoreTimeouts timeouts) {
        this.store = store;
        this.timeouts = timeouts;
    }

    @Override
    public boolean tryAcquire(String key, int perMinute) {
        return tryAcquire(key, perMinute, null);
    }

    @Override
    public boolean tryAcquire(String key, int perMinute, Deadline deadline) {
        return store.tryAcquire(key, perMinute, timeouts.within(deadline));
    }
}
