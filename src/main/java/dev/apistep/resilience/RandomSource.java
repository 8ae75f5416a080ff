package dev.apistep.resilience;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * The random numbers of retries (backoff jitter, Idempotency-Keys), from one source that {@link #renew()} replaces
 * after a SnapStart restore: state seeded before the snapshot would repeat in every clone restored from it, so
 * their retries would wait in step and their keys could collide. A per-thread generator seeded once (as
 * ThreadLocalRandom is) would be cloned with its threads.
 */
public final class RandomSource {

    private static volatile SecureRandom source = new SecureRandom();

    private RandomSource() {
    }

    /** Fresh seeding for every later draw. */
    public static void renew() {
        source = new SecureRandom();
    }

    /** Uniform in [0, bound]. */
    static long upTo(long bound) {
        return source.nextLong(bound + 1);
    }

    /** A random (version 4) UUID. */
    static UUID uuid() {
        byte[] bytes = new byte[16];
        source.nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (bytes[i] & 0xff);
            low = (low << 8) | (bytes[8 + i] & 0xff);
        }
        return new UUID(high, low);
    }
}
