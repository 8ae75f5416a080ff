package dev.apistep.egress;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Cuts exchanges at their deadline without a thread per exchange: one daemon thread sleeps until the earliest
 * deadline it watches and drops the connection of every exchange still running then, which fails the body
 * read blocked on it (a server that drips its body). Watching costs a lock and a set entry; the thread is woken
 * only when a new deadline is earlier than the one it sleeps to, so steady traffic wakes it about once per
 * timeout, not once per exchange.
 */
final class DeadlineWatch implements AutoCloseable {

    private final Object lock = new Object();
    private final Set<Watch> active = new HashSet<>();
    /** Guarded by {@link #lock}: whether the thread sleeps to {@link #wakeAt} (false: until notified). */
    private boolean timed;
    private long wakeAt;
    private boolean closed;
    private Thread thread;

    /** One exchange's deadline, from now; {@link Watch#end()} when the exchange no longer needs it. */
    Watch watch(ExchangeHandle handle, long remainingNanos) {
        Watch watch = new Watch(handle, System.nanoTime() + remainingNanos);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the sender is closed");
            }
            if (thread == null) {
                thread = new Thread(this::run, "api-step-deadlines");
                thread.setDaemon(true);
                thread.start();
            }
            active.add(watch);
            if (!timed || watch.at - wakeAt < 0) {
                lock.notify();
            }
        }
        return watch;
    }

    private void run() {
        synchronized (lock) {
            while (!closed) {
                long now = System.nanoTime();
                long next = 0;
                boolean any = false;
                for (Iterator<Watch> pending = active.iterator(); pending.hasNext(); ) {
                    Watch watch = pending.next();
                    if (watch.at - now <= 0) {
                        pending.remove();
                        watch.expired = true;
                        watch.handle.abort();
                    } else if (!any || watch.at - next < 0) {
                        next = watch.at;
                        any = true;
                    }
                }
                timed = any;
                wakeAt = next;
                try {
                    if (any) {
                        long nanos = next - now;
                        lock.wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
                    } else {
                        lock.wait();
                    }
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            active.clear();
            lock.notify();
        }
    }

    /** One watched exchange. */
    final class Watch {
        private final ExchangeHandle handle;
        private final long at;
        /** Guarded by the watch's lock. */
        private boolean expired;

        private Watch(ExchangeHandle handle, long at) {
            this.handle = handle;
            this.at = at;
        }

        /**
         * Stops watching: after this returns, the connection is never dropped for this deadline, so the exchange
         * may hand it back to the pool. Whether the deadline had already cut the exchange.
         */
        boolean end() {
            synchronized (lock) {
                active.remove(this);
                return expired;
            }
        }
    }
}
