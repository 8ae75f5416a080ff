package dev.apistep.egress;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.resteasy.reactive.client.impl.ClientBuilderImpl;

/**
 * The HTTP clients of this function instance. One client serves every step without TLS material, so
 * warm invocations reuse its pooled keep-alive connections instead of reconnecting.
 */
public final class HttpClients implements AutoCloseable {

    /** Bounds a DNS answer plus a TCP and TLS handshake; the step's deadline cuts it shorter. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Response headers over this size are refused: no legitimate API needs more. */
    static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

    private final Client shared;

    public HttpClients(String userAgent) {
        this.shared = build(userAgent);
    }

    public Client shared() {
        return shared;
    }

    private static Client build(String userAgent) {
        ClientBuilderImpl builder = (ClientBuilderImpl) ClientBuilder.newBuilder();
        builder.connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        // Redirects are followed by RedirectFollower: it checks each hop and strips credentials across origins.
        builder.followRedirects(false);
        // A JVM-wide proxy setting would silently route every step through it: never inherit one.
        builder.proxy("none", 0);
        builder.enableCompression(true);
        builder.verifyHost(true);
        builder.setUserAgent(userAgent);
        builder.clientOptionsCustomizer(options -> options
                .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES)
                .setForceSni(true));
        return builder.build();
    }

    @Override
    public void close() {
        shared.close();
    }
}
