package dev.apistep.egress;

import dev.apistep.core.StepFailure;
import java.io.IOException;
import java.io.InputStream;

/**
 * A streamed body as the client reads it (on a Vert.x worker thread): when its source fails, the connection
 * is closed before the failure reaches the client, which would otherwise end the request (a chunked body's
 * last chunk) on a failed read.
 */
final class UploadStream extends ChunkFilter {

    private final ExchangeHandle handle;
    /** The failure of the source, when it failed as a step failure (over its cap, a download cut). */
    volatile StepFailure failure;
    /** Whether the source was read to its end. */
    volatile boolean ended;

    UploadStream(InputStream source, ExchangeHandle handle) {
        super(source);
        this.handle = handle;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read;
        try {
            read = in.read(buffer, offset, length);
        } catch (IOException | RuntimeException | Error broken) {
            if (broken instanceof StepFailure stepFailure) {
                failure = stepFailure;
            }
            handle.abortAndWait();
            throw new IOException("the streamed body could not be read", broken);
        }
        if (read == -1) {
            ended = true;
        }
        return read;
    }
}
