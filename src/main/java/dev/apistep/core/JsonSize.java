package dev.apistep.core;

import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.OutputStream;

/**
 * How many bytes a value takes written as JSON, counted as it is written (nothing is kept) and only up to a
 * limit: a value that repeats a large subtree thousands of times costs no more to measure than the limit.
 */
public final class JsonSize {

    private JsonSize() {
    }

    /**
     * The written size of {@code value}, or {@code limit + 1} once it passes {@code limit}, whatever the rest
     * would have been; {@link Late} when {@code deadline} passes first (checked at every chunk written after the
     * first, so that a small value is measured whenever it comes).
     */
    public static long upTo(ObjectWriter writer, Object value, long limit, Deadline deadline) throws Late {
        Counter counter = new Counter(limit, deadline);
        try {
            writer.writeValue(counter, value);
        } catch (Over over) {
            return limit + 1;
        } catch (Late late) {
            throw late;
        } catch (IOException unwritable) {
            throw new IllegalStateException("a value must always be writable as JSON", unwritable);
        }
        return counter.count;
    }

    /** The deadline passed before the value was measured. */
    public static final class Late extends IOException {
        private Late() {
            super(null, null);
        }
    }

    /** Past the limit; an I/O failure, which Jackson passes on as it is. */
    private static final class Over extends IOException {
        private Over() {
            super(null, null);
        }
    }

    private static final class Counter extends OutputStream {
        private final long limit;
        private final Deadline deadline;
        private long count;

        Counter(long limit, Deadline deadline) {
            this.limit = limit;
            this.deadline = deadline;
        }

        @Override
        public void write(int b) throws IOException {
            write(null, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            count += length;
            if (count > limit) {
                throw new Over();
            }
            // From the second chunk on: a value written in one chunk costs nothing and is measured even past the deadline.
            if (count > length && deadline.expired()) {
                throw new Late();
            }
        }
    }
}
