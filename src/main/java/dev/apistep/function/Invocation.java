package dev.apistep.function;

import java.util.OptionalLong;

/**
 * The Lambda invocation being served on this thread, when the runtime told us: its request id and the
 * time it has left. Funqy does not pass the Lambda context to the function, so the stream handler
 * records it here for the duration of one invocation.
 */
public record Invocation(String requestId, long deadlineEpochMs) {

    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();

    public static void begin(Invocation invocation) {
        CURRENT.set(invocation);
    }

    public static void end() {
        CURRENT.remove();
    }

    /** The Lambda request id of this thread's invocation; null outside one. */
    public static String currentRequestId() {
        Invocation invocation = CURRENT.get();
        return invocation == null ? null : invocation.requestId();
    }

    /** Time left on this thread's invocation; empty outside one (tests, dev mode, native poll loop). */
    public static OptionalLong remainingMillis() {
        Invocation invocation = CURRENT.get();
        return invocation == null ? OptionalLong.empty()
                : OptionalLong.of(invocation.deadlineEpochMs() - System.currentTimeMillis());
    }
}
