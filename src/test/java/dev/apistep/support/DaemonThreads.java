package dev.apistep.support;

import java.util.concurrent.ThreadFactory;

/** Threads for the tests' loopback servers: daemons, so a server left open never holds the JVM. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
