package dev.apistep.egress;

import dev.apistep.core.StepFailure;
import dev.apistep.exchange.HttpResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response whose body is read as it is needed, a chunk at a time (a file streamed into an upload): the client
 * fetches the next network read only when this one is taken, so a slow reader holds back the server instead of
 * filling memory. The step's deadline drops its connection; {@link #close} drops it too when the body was not
 * read to its end, so that no unread rest is drained or pooled.
 */
final class Download implements AutoCloseable {

    private final HttpResponse head;
    private final long length;
    private final Response response;
    private final ExchangeHandle handle;
    private final DeadlineWatch.Watch watch;
    private final InputStream body;
    private volatile boolean ended;

    Download(HttpResponse head, long length, InputStream decoded, Response response, ExchangeHandle handle,
            DeadlineWatch.Watch watch) {
        this.head = head;
        this.length = length;
        this.response = response;
        this.handle = handle;
        this.watch = watch;
        this.body = new Body(decoded);
    }

    /** Status, headers and URL; no body. */
    HttpResponse head() {
        return head;
    }

    /** The body's length as declared (no content coding), or -1. */
    long length() {
        return length;
    }

    /** The body: a failed read is a {@link StepFailure} naming the host (TIMEOUT when the deadline cut it). */
    InputStream body() {
        return body;
    }

    @Override
    public void close() {
        watch.end();
        if (ended) {
            response.close();
        } else {
            // Not the response's close: it would unhook the body's failure handler, and a reader blocked on the
            // body (the client's worker, streaming an upload) would then wait out the client's read timeout.
            handle.abort();
        }
    }

    private final class Body extends ChunkFilter {

        Body(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int read;
            try {
                read = in.read(buffer, offset, length);
            } catch (IOException | RuntimeException failure) {
                if (failure instanceof StepFailure stepFailure) {
                    throw stepFailure;
                }
                String host = head.uri().getHost();
                throw watch.end() ? TransportFailures.timeout(host) : TransportFailures.classify(failure, host);
            }
            if (read == -1) {
                ended = true;
            }
            return read;
        }

        /** Closed by its owner through {@link Download#close}, not by the stream that reads it (a part among others). */
        @Override
        public void close() {
        }
    }
}
