package dev.apistep.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.apistep.core.Deadline;
import dev.apistep.core.JsonSize;

/**
 * What a capture stage may spend: the time, the step's deadline plus a short grace, so that a response that
 * arrives just before the deadline still gets its cheap captures (checked every few hundred nodes a JSONPath
 * or a path listing visits and every few thousand characters a regular expression reads), and the size of
 * each value, {@link #MAX_VALUE_BYTES} written.
 */
final class CaptureBudget {

    /** Past the step's deadline; small enough that a step still answers within its deadline + 200 ms. */
    static final long GRACE_MS = 50;
    /**
     * A value as JSON, at most: a result holds each capture twice (variables and changes) within its 5 MiB, so a
     * larger one could never be returned. Paths that repeat subtrees ({@code $..*}) are measured as written.
     */
    static final int MAX_VALUE_BYTES = 5 * 1024 * 1024 / 2;
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

    /** The same deadline, counted apart: for work on another thread, so that the two never share a count. */
    CaptureBudget sameDeadline() {
        return new CaptureBudget(deadline);
    }

    /**
     * Fails when {@code value} written compactly is over {@link #MAX_VALUE_BYTES}, measured only up to the bound
     * and the deadline (see {@link JsonSize}).
     */
    void requireWithinSize(ObjectWriter compact, JsonNode value) {
        long size;
        try {
            size = JsonSize.upTo(compact, value, MAX_VALUE_BYTES, deadline);
        } catch (JsonSize.Late late) {
            throw new Exhausted();
        }
        if (size > MAX_VALUE_BYTES) {
            throw new OverBound("gave a value of more than " + MAX_VALUE_BYTES + " bytes, more than a result can hold");
        }
    }

    boolean expired() {
        return deadline.expired();
    }

    long remainingMillis() {
        return deadline.remainingMillis();
    }

    /** A capture that would pass one of the stage's bounds: unresolved, the bound named in its warning. */
    static final class OverBound extends RuntimeException {
        OverBound(String what) {
            super(what, null, false, false);
        }
    }

    /** The capture stage ran out of time: what it was doing is abandoned, never half-applied. */
    static final class Exhausted extends RuntimeException {
        Exhausted() {
            super("the capture stage reached the step's deadline", null, false, false);
        }
    }
}
