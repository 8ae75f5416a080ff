package dev.apistep.egress;

import java.io.InputStream;

/** Bytes read as the request is written, not held: their stream, and their length (-1: unknown, sent chunked). */
record StreamedBytes(InputStream bytes, long length) {
}
