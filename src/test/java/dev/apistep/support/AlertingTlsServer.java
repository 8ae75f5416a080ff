package dev.apistep.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS 1.3 server that requires a client certificate and, like nginx or Go, tells a client it refuses with a
 * fatal alert sent after the client's side of the handshake is done (the JDK's HttpsServer closes without
 * sending it). It answers nothing else: a client it accepts gets a 200 with an empty JSON object.
 */
public final class AlertingTlsServer implements AutoCloseable {

    private final SSLServerSocket socket;
    private final Thread acceptor;

    public AlertingTlsServer(TestPki.Identity identity, TestPki.Identity clientAuthority) throws Exception {
        socket = (SSLServerSocket) TlsServer.context(identity, clientAuthority).getServerSocketFactory()
                .createServerSocket(0, 16, InetAddress.getLoopbackAddress());
        socket.setNeedClientAuth(true);
        socket.setEnabledProtocols(new String[] {"TLSv1.3"});
        acceptor = DaemonThreads.named("alerting-tls").newThread(this::serve);
        acceptor.start();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (SSLSocket client = (SSLSocket) socket.accept()) {
                InputStream in = client.getInputStream();
                // Reading completes the handshake; a refused certificate throws here, after the alert went out.
                byte[] head = new byte[4096];
                if (in.read(head) > 0) {
                    client.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
            } catch (IOException refusedOrClosed) {
                // The client's certificate was refused (alert sent), or the server is closing.
            }
        }
    }

    public String url(String host) {
        return "https://" + host + ":" + socket.getLocalPort() + "/";
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
