package dev.apistep.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Files to upload from a URL, served from loopback and generated as they are written (never held, whatever
 * their size): {@code /file/N} is N bytes with a Content-Length, {@code /chunked/N} the same bytes chunked,
 * {@code /drip} a chunked body that never ends (a byte now and then), {@code /to-metadata} a redirect to the
 * cloud metadata address. The bytes of size N are always {@link #bytes(int) the same}.
 */
public final class FileServer implements AutoCloseable {

    private static final int CHUNK = 64 * 1024;
    private final HttpServer server;
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();

    public FileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(DaemonThreads.named("file-server")));
        server.createContext("/", this::serve);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** How many times a path was asked for. */
    public int served(String path) {
        return served.getOrDefault(path, new AtomicInteger()).get();
    }

    /** The file of this size: every byte value, then seeded random bytes. */
    public static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        fill(bytes, 0);
        return bytes;
    }

    /** Bytes [offset, offset + out.length) of every file: the stream of one seeded generator, cut anywhere. */
    private static void fill(byte[] out, long offset) {
        for (int i = 0; i < out.length; i++) {
            long at = offset + i;
            out[i] = at < 256 ? (byte) at : (byte) (mix(at / 8) >>> (8 * (at % 8)));
        }
    }

    private static long mix(long block) {
        long z = block * 0x9E3779B97F4A7C15L + 17;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        served.computeIfAbsent(path, key -> new AtomicInteger()).incrementAndGet();
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String[] parts = path.split("/");
            if (path.equals("/to-metadata")) {
                exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
                exchange.sendResponseHeaders(302, -1);
            } else if (path.equals("/drip")) {
                exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, 0);
                drip(exchange.getResponseBody());
            } else if (parts.length == 3 && (parts[1].equals("file") || parts[1].equals("chunked"))) {
                long size = Long.parseLong(parts[2]);
                exchange.getResponseHeaders().add("Content-Type", "application/pdf");
                exchange.sendResponseHeaders(200, parts[1].equals("file") ? size : 0);
                write(exchange.getResponseBody(), size);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        } catch (IOException clientWentAway) {
            // The function cut the download: what some tests ask of it.
        }
    }

    private static void write(OutputStream out, long size) throws IOException {
        byte[] chunk = new byte[CHUNK];
        for (long at = 0; at < size; at += CHUNK) {
            int length = (int) Math.min(CHUNK, size - at);
            byte[] piece = length == CHUNK ? chunk : new byte[length];
            fill(piece, at);
            out.write(piece);
        }
    }

    /** One byte every 100 ms until the function drops the connection (or a minute, to stop by itself). */
    private static void drip(OutputStream out) throws IOException {
        for (int i = 0; i < 600; i++) {
            out.write('x');
            out.flush();
            try {
                Thread.sleep(100);
            } catch (InterruptedException stop) {
                return;
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
