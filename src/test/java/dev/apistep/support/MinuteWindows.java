package dev.apistep.support;

/** For tests of per-minute allowances counted in fixed one-minute windows (DynamoDB's rate limits). */
public final class MinuteWindows {

    /** Time a test of an allowance may take: a loaded CI machine makes a few dozen steps slow. */
    private static final long MARGIN_MS = 15_000;

    private MinuteWindows() {
    }

    /** A test that expects a refusal must not straddle two windows: waits out the end of a minute (at most 15 s). */
    public static void awayFromAMinuteBoundary() throws InterruptedException {
        long intoMinute = System.currentTimeMillis() % 60_000;
        if (intoMinute > 60_000 - MARGIN_MS) {
            Thread.sleep(60_000 - intoMinute + 100);
        }
    }
}
