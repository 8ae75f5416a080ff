package dev.apistep.core;

import java.util.Set;

/**
 * Statuses that say "try again later" rather than "this request is wrong": the retry stage repeats them,
 * and a step that ends on one reports a retryable error.
 */
public final class RetryableStatuses {

    private static final Set<Integer> STATUSES = Set.of(408, 425, 429, 500, 502, 503, 504);

    private RetryableStatuses() {
    }

    public static boolean contains(int status) {
        return STATUSES.contains(status);
    }
}
