package dev.apistep.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

/**
 * A raw-socket HTTP "server" on a free loopback port that answers every request with scripted bytes, for
 * what a well-behaved server library cannot send (interim responses, conflicting lengths, bad chunks,
 * endless or compressed-bomb bodies, not HTTP at all). It records each request's bytes (head and body)
 * exactly as they arrived. Scripts must frame their responses (or break the connection): the server waits
 * for the next request on the same connection.
 */
public final class HostileServer implements AutoCloseable {

    /** Writes the answer to one request; the connection is closed after it returns. */
    @FunctionalInterface
    public interface Script {
        void answer(String requestHead, OutputStream out) throws IOException;
    }

    private final ServerSocket socket;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Script script;

    public HostileServer(Script script) throws IOException {
        this.script = script;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = DaemonThreads.named("hostile-server").newThread(this::accept);
        acceptor.start();
    }

    public HostileServer answering(Script next) {
        this.script = next;
        return this;
    }

    /** Answers with these bytes, as they are (Latin-1 text, CRLFs written by the caller). */
    public static Script raw(String response) {
        return (head, out) -> out.write(response.getBytes(StandardCharsets.ISO_8859_1));
    }

    public String url(String path) {
        return "http://127.0.0.1:" + socket.getLocalPort() + path;
    }

    /** Each request as received: head, blank line, body. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                DaemonThreads.named("hostile-connection").newThread(() -> serve(connection)).start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Answers requests on one connection until the client closes it (a pooled connection gets reused). */
    private void serve(Socket connection) {
        try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
            for (String head = readHead(in); head != null; head = readHead(in)) {
                byte[] body = in.readNBytes(contentLength(head));
                requests.add(head + new String(body, StandardCharsets.UTF_8));
                script.answer(head, out);
                out.flush();
            }
        } catch (IOException clientWentAway) {
            // The client dropped the connection: what the tests of caps expect.
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b = in.read(); b != -1; b = in.read()) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    /** gzip of {@code size} zero bytes: a few hundred KB that inflate to {@code size}. */
    public static byte[] gzipOfZeros(long size) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed, 64 * 1024)) {
            byte[] zeros = new byte[1024 * 1024];
            for (long left = size; left > 0; left -= zeros.length) {
                gzip.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return compressed.toByteArray();
    }

    /** A chunked body of {@code total} bytes, written until the client hangs up. */
    public static Script endlessChunks(long total) {
        return (head, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] data = "x".repeat(64 * 1024).getBytes(StandardCharsets.ISO_8859_1);
            byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            for (long sent = 0; sent < total; sent += data.length) {
                out.write(size);
                out.write(data);
                out.write(new byte[] {'\r', '\n'});
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        };
    }

    /** A chunked gzip body that inflates to {@code decoded} zero bytes, compressed as it is written. */
    public static Script gzipStream(long decoded, long[] written) {
        return (head, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            OutputStream chunks = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    if (length > 0) {
                        out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(bytes, offset, length);
                        out.write(new byte[] {'\r', '\n'});
                        out.flush();
                        written[0] += length;
                    }
                }
            };
            try (GZIPOutputStream gzip = new GZIPOutputStream(chunks, 8 * 1024)) {
                byte[] zeros = new byte[1024 * 1024];
                for (long left = decoded; left > 0; left -= zeros.length) {
                    gzip.write(zeros, 0, (int) Math.min(zeros.length, left));
                }
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        };
    }

    /** A 200 with these body bytes under this Content-Encoding. */
    public static Script encoded(String encoding, byte[] body) {
        return (head, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: " + encoding
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
        };
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }
}
