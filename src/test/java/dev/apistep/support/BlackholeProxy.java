package dev.apistep.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback to a server, that can make the connections it holds go silent without closing them
 * (what a network partition or a restored snapshot does to an open connection); new connections relay again.
 */
public final class BlackholeProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final List<Relay> relays = new CopyOnWriteArrayList<>();

    private static final class Relay {
        final Socket client;
        final Socket server;
        volatile boolean silent;

        Relay(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }
    }

    public BlackholeProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "blackhole-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The connections open now stop relaying in both directions; they stay open. */
    public void silenceOpenConnections() {
        relays.forEach(relay -> relay.silent = true);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                Relay relay = new Relay(client, server);
                relays.add(relay);
                pump(relay, client.getInputStream(), server.getOutputStream());
                pump(relay, server.getInputStream(), client.getOutputStream());
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void pump(Relay relay, InputStream in, OutputStream out) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (!relay.silent) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException ended) {
                // one side closed
            }
        }, "blackhole-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Relay relay : relays) {
            relay.client.close();
            relay.server.close();
        }
    }
}
