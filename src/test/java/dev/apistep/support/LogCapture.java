package dev.apistep.support;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Everything the application logs while a test runs (the JBoss LogManager is a java.util.logging
 * manager): each record's formatted message and exception chain, as a log file would show them.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    /** The step lines' category, which does not pass its records to the root logger (application.properties). */
    private static final String STEP_LINES = "api-step.steps";

    private final List<String> lines = new ArrayList<>();

    private LogCapture() {
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        Logger.getLogger(STEP_LINES).addHandler(capture);
        return capture;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        StringBuilder line = new StringBuilder(record instanceof ExtLogRecord formatted
                ? formatted.getFormattedMessage()
                : new SimpleFormatter().formatMessage(record));
        for (Throwable cause = record.getThrown(); cause != null; cause = cause.getCause()) {
            line.append(' ').append(cause);
        }
        lines.add(line.toString());
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
        Logger.getLogger(STEP_LINES).removeHandler(this);
    }
}
