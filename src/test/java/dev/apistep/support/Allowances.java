package dev.apistep.support;

/**
 * For tests of the rate limits' token buckets (allowance per minute, refilled continuously): what a burst may
 * take at most, and a start just before the clock's minute changes, where counting in fixed one-minute windows
 * would admit the end of one window's allowance and the whole of the next.
 */
public final class Allowances {

    private Allowances() {
    }

    /** The allowance plus what a token bucket refills while the calls ran: the most any burst may take. */
    public static long mostAdmitted(int perMinute, long elapsedMs) {
        return perMinute + (long) Math.ceil(elapsedMs * perMinute / 60_000.0);
    }

    /** Sleeps until {@code leadMs} before the next minute of the clock (up to a minute). */
    public static void sleepUntilBeforeAMinuteBoundary(long leadMs) throws InterruptedException {
        long intoMinute = System.currentTimeMillis() % 60_000;
        Thread.sleep(Math.floorMod(60_000 - leadMs - intoMinute, 60_000L));
    }
}
