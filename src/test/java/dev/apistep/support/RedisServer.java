package dev.apistep.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real {@code redis-server} (Debian's package; {@code .ci/run} installs it) on a free loopback port, without
 * persistence. A machine without it fails the test that needs it, with the command that installs it: nothing
 * is skipped silently. {@link #pause()} freezes the server (SIGSTOP: a store that does not answer),
 * {@link #stop()} ends it (a store that is gone).
 */
public final class RedisServer implements AutoCloseable {

    private static final String EXECUTABLE = System.getProperty("redis.server", "redis-server");

    private final int port;
    private final Path log;
    private Process process;

    private RedisServer(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    public static RedisServer start() throws IOException, InterruptedException {
        RedisServer server = new RedisServer(freePort(), Files.createTempFile("redis-server", ".log"));
        server.launch();
        return server;
    }

    private void launch() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(EXECUTABLE, "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no"));
        process = ServerProcess.start("redis-server", builder, log,
                "install it with `apt-get update && apt-get install -y redis-server` (.ci/test-servers does)", 15,
                () -> "+PONG".equals(command("PING")));
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** One inline command's first reply line (null when the server does not answer within a second). */
    public String command(String inline) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return line(socket.getInputStream());
        } catch (IOException notAnswering) {
            return null;
        }
    }

    /** {@code key}'s string value as the server holds it (null when there is none), read with {@code GET}. */
    public String get(String key) throws IOException {
        byte[] name = key.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("*2\r\n$3\r\nGET\r\n$" + name.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(name);
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String header = line(in);
            if (!header.startsWith("$")) {
                throw new IOException("GET " + key + " answered " + header);
            }
            int length = Integer.parseInt(header.substring(1));
            return length < 0 ? null : new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
    }

    /** One reply line, without its CRLF. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int read;
        while ((read = in.read()) >= 0 && read != '\n') {
            if (read != '\r') {
                line.append((char) read);
            }
        }
        return line.toString();
    }

    /** Freezes the server: connections stay open, nothing is answered. */
    public void pause() throws IOException, InterruptedException {
        ServerProcess.signal(process, "STOP");
    }

    public void resume() throws IOException, InterruptedException {
        ServerProcess.signal(process, "CONT");
    }

    /** Ends the server; {@link #restart()} starts it again on the same port, empty. */
    public void stop() throws InterruptedException {
        ServerProcess.stop(process);
    }

    public void restart() throws IOException, InterruptedException {
        stop();
        launch();
    }

    @Override
    public void close() throws InterruptedException, IOException {
        ServerProcess.end(process, log);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
