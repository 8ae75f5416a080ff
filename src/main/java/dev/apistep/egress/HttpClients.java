package dev.apistep.egress;

import dev.apistep.core.Fingerprint;
import dev.apistep.destination.DestinationPolicy;
import dev.apistep.step.TlsMaterial;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.TrustOptions;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.resteasy.reactive.client.impl.ClientBuilderImpl;

/**
 * The HTTP clients of this function instance, reused across warm invocations so their pooled keep-alive
 * connections are too. Steps without TLS material share one client; each distinct TLS material (by
 * fingerprint) gets its own, built once and kept in a bounded cache that closes the least recently used.
 */
public final class HttpClients implements AutoCloseable {

    /** Bounds a DNS answer plus a TCP and TLS handshake; the step's deadline cuts it shorter. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Response headers over this size are refused: no legitimate API needs more. */
    static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;
    /** Distinct client identities kept warm; a flow rarely uses more than a handful. */
    static final int MAX_TLS_CLIENTS = 32;

    private final String userAgent;
    private volatile Client shared;
    private final Map<String, Client> byFingerprint = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Client> eldest) {
            if (size() > MAX_TLS_CLIENTS) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    };

    public HttpClients(String userAgent, DestinationPolicy destinations) {
        if (!ConnectTimeGuard.isInstalled()) {
            throw new IllegalStateException("the connect-time destination check is not installed in Vert.x;"
                    + " refusing to build an HTTP client without it");
        }
        ConnectTimeGuard.use(destinations);
        this.userAgent = userAgent;
        this.shared = build(options -> {
        });
    }

    /**
     * Loads the step's TLS material into its client now, so that material that cannot be loaded fails the
     * step before any network work (and in render mode too); later sends reuse the cached client.
     */
    public void prepare(TlsMaterial tls) {
        clientFor(tls);
    }

    /** The client for a request's TLS material (null: the shared one). Loading errors are step failures. */
    Client clientFor(TlsMaterial tls) {
        if (tls == null) {
            return shared;
        }
        String fingerprint = fingerprint(tls);
        synchronized (byFingerprint) {
            Client cached = byFingerprint.get(fingerprint);
            if (cached != null) {
                return cached;
            }
        }
        TlsIdentity identity = TlsIdentity.load(tls);
        Client built = build(options -> {
            options.setTrustOptions(TrustOptions.wrap(identity.trustManager()));
            if (identity.clientIdentity() != null) {
                options.setKeyCertOptions(identity.clientIdentity());
            }
        });
        synchronized (byFingerprint) {
            Client raced = byFingerprint.putIfAbsent(fingerprint, built);
            if (raced != null) {
                built.close();
                return raced;
            }
            return built;
        }
    }

    private Client build(Consumer<HttpClientOptions> tls) {
        ClientBuilderImpl builder = (ClientBuilderImpl) ClientBuilder.newBuilder();
        builder.connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        // Redirects are followed by RedirectFollower: it checks each hop and strips credentials across origins.
        builder.followRedirects(false);
        // A JVM-wide proxy setting would silently route every step through it: never inherit one.
        builder.proxy("none", 0);
        // Compressed bodies are inflated by HttpSender within the size cap: Vert.x would inflate a whole network
        // read at once (a 64 KiB gzip bomb read is 64 MiB), before any cap could be checked.
        builder.enableCompression(false);
        builder.register(new ExchangeHandle.Capture());
        // A connection's failure (malformed response, TLS alert) fails its request, which names it in the step's
        // result: without a handler Vert.x would also log it as an ERROR with the exception's text. A TLS alert
        // that arrives after the handshake (a TLS 1.3 server refusing the client certificate) fails the request
        // with itself: the close that follows would otherwise be all the request learns of it.
        // A request cut before its end (a streamed upload over its cap or past the deadline) fails its response,
        // which is how the step learns of it: without a handler Vert.x would log the cut as an ERROR too.
        builder.clientRequestCustomizer(request -> {
            request.exceptionHandler(failure -> {
            });
            request.connection().exceptionHandler(failure -> {
                if (TransportFailures.isTls(failure)) {
                    request.reset(0, failure);
                }
            });
        });
        builder.verifyHost(true);
        builder.setUserAgent(userAgent);
        builder.clientOptionsCustomizer(options -> {
            options.setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES).setForceSni(true);
            tls.accept(options);
        });
        return builder.build();
    }

    /**
     * New clients for every later step, the old ones closed: after a SnapStart restore, connections pooled before
     * the snapshot point at a peer that is gone, and a snapshot's clients must not be shared by its clones.
     */
    public void renew() {
        Client old = shared;
        shared = build(options -> {
        });
        old.close();
        synchronized (byFingerprint) {
            byFingerprint.values().forEach(Client::close);
            byFingerprint.clear();
        }
    }

    private static String fingerprint(TlsMaterial tls) {
        return Fingerprint.of(tls.clientCertificate(), tls.clientKey(), tls.clientKeyPassword(), tls.caCertificates());
    }

    @Override
    public void close() {
        shared.close();
        synchronized (byFingerprint) {
            byFingerprint.values().forEach(Client::close);
            byFingerprint.clear();
        }
    }
}
