package dev.apistep.egress;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream over another that acts on every chunk it reads (counts it, checks a cap, names a failure): its
 * one-byte read goes through the chunk read, which {@link FilterInputStream}'s own would bypass.
 */
abstract class ChunkFilter extends FilterInputStream {

    ChunkFilter(InputStream in) {
        super(in);
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] buffer, int offset, int length) throws IOException;
}
