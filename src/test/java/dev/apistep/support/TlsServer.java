package dev.apistep.support;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real HTTPS server on loopback (the JDK's), with a certificate from {@link TestPki}; when given a
 * client CA it requires a client certificate signed by it. It answers {@code {"client": "<subject>"}}
 * and records the client subjects it saw; {@code /downgrade} redirects to plain http.
 */
public final class TlsServer implements AutoCloseable {

    private final HttpsServer server;
    private final List<String> clientSubjects = new CopyOnWriteArrayList<>();

    public TlsServer(TestPki.Identity identity, TestPki.Identity clientAuthority) throws Exception {
        this(identity, clientAuthority, null);
    }

    /** {@code protocol}: the only TLS version the server speaks (e.g. TLSv1.2), or null for the JDK's defaults. */
    public TlsServer(TestPki.Identity identity, TestPki.Identity clientAuthority, String protocol) throws Exception {
        SSLContext context = context(identity, clientAuthority);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setNeedClientAuth(clientAuthority != null);
                if (protocol != null) {
                    parameters.setProtocols(new String[] {protocol});
                }
                params.setSSLParameters(parameters);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4, DaemonThreads.named("tls-server")));
        server.createContext("/downgrade", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/plain");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/", exchange -> {
            String subject = "none";
            try {
                Certificate[] peer = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
                subject = ((X509Certificate) peer[0]).getSubjectX500Principal().getName();
            } catch (javax.net.ssl.SSLPeerUnverifiedException noClientCertificate) {
                // The server does not ask for one.
            }
            clientSubjects.add(subject);
            byte[] body = ("{\"client\": \"" + subject + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException ignored) {
                // The client went away.
            }
        });
        server.start();
    }

    /** A server's TLS context: its identity, and the client authority it trusts (null: none). */
    public static SSLContext context(TestPki.Identity identity, TestPki.Identity clientAuthority) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        Certificate[] chain = identity.issuer() == null ? new Certificate[] {identity.certificate()}
                : new Certificate[] {identity.certificate(), identity.issuer()};
        keys.setKeyEntry("server", identity.privateKey(), new char[0], chain);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        if (clientAuthority != null) {
            trusted.setCertificateEntry("client-ca", clientAuthority.certificate());
        }
        trustManagers.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    public String url(String host) {
        return "https://" + host + ":" + server.getAddress().getPort() + "/check";
    }

    public List<String> clientSubjects() {
        return clientSubjects;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
