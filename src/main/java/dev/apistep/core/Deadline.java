package dev.apistep.core;

import java.util.OptionalLong;

/**
 * The one time limit of a step: connect, headers, the whole body, every redirect and retry included.
 * It is the smallest of the step's {@code timeoutMs}, the product's 60-second cap, and the invocation's
 * own remaining time less a margin to answer in.
 */
public final class Deadline {

    /** Time kept back from the invocation's remaining time to build and send the result. */
    public static final long ANSWER_MARGIN_MS = 500;

    private final long expiresAtNanos;

    private Deadline(long expiresAtNanos) {
        this.expiresAtNanos = expiresAtNanos;
    }

    public static Deadline afterMillis(long millis) {
        return new Deadline(System.nanoTime() + Math.max(0, millis) * 1_000_000L);
    }

    public static Deadline forStep(int timeoutMs, int capMs, OptionalLong invocationRemainingMs) {
        long limit = Math.min(timeoutMs, capMs);
        if (invocationRemainingMs.isPresent()) {
            limit = Math.min(limit, invocationRemainingMs.getAsLong() - ANSWER_MARGIN_MS);
        }
        return afterMillis(limit);
    }

    public long remainingNanos() {
        return Math.max(0, expiresAtNanos - System.nanoTime());
    }

    public long remainingMillis() {
        return remainingNanos() / 1_000_000L;
    }

    public boolean expired() {
        return remainingNanos() == 0;
    }
}
