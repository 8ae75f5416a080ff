package dev.apistep.capture;

import dev.apistep.core.Deadline;

/**
 * The time a capture stage may take: the step's deadline plus a short grace, so that a response that
 * arrives just before the deadline still gets its cheap captures. Checked every few hundred nodes a
 * JSONPath or a path listing visits and every few thousand characters a regular expression reads.
 */
final class CaptureBudget {

    /** Past the step's deadline; small enough that a step still answers within its deadline + 200 ms. */
    static final long GRACE_MS = 50;
    private static final int CHECK_EVERY = 256;

    private final Deadline deadline;
    private int ticks;

    private CaptureBudget(Deadline deadline) {
        this.deadline = deadline;
    }

    static CaptureBudget within(Deadline stepDeadline) {
        return new CaptureBudget(Deadline.afterMillis(stepDeadline.remainingMillis() + GRACE_MS));
    }

    /** Counts one unit of work; every few hundred, fails when the time is up. */
    void tick() {
        if (++ticks % CHECK_EVERY == 0 && deadline.expired()) {
            throw new Exhausted();
        }
    }

    boolean expired() {
        return deadline.expired();
    }

    long remainingMillis() {
        return deadline.remainingMillis();
    }

    /** The capture stage ran out of time: what it was doing is abandoned, never half-applied. */
    static final class Exhausted extends RuntimeException {
        Exhausted() {
            super("the capture stage reached the step's deadline", null, false, false);
        }
    }
}
