package dev.apistep.egress;

import io.vertx.core.http.HttpClientRequest;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.util.concurrent.TimeUnit;
import org.jboss.resteasy.reactive.client.impl.ClientRequestContextImpl;

/**
 * The Vert.x request under one REST client exchange, so that {@link HttpSender} can drop the connection when
 * it gives up on a body (over the cap, past the deadline, undecodable) or on a streamed upload: closing the
 * JAX-RS response would instead keep reading, and discarding, whatever the server still sends.
 */
final class ExchangeHandle {

    /** The invocation property that carries the handle to {@link Capture}. */
    static final String PROPERTY = "api-step.exchange";
    /** How long an abort waits for the connection to be closed; a close is one event-loop task. */
    private static final long CLOSE_WAIT_MS = 2_000;

    /** Set before the request is sent; its Vert.x request exists from when the request is written. */
    private volatile ClientRequestContextImpl context;

    private HttpClientRequest request() {
        ClientRequestContextImpl current = context;
        return current == null ? null : current.unwrap(HttpClientRequest.class);
    }

    /**
     * The fault {@link WireDiscipline} found in the response, if any: once Vert.x closes the connection for it,
     * the body stream only reports the close.
     */
    String fault() {
        HttpClientRequest current = request();
        if (current != null && current.connection() instanceof io.vertx.core.net.impl.ConnectionBase connection) {
            return connection.channel().attr(WireDiscipline.FAULT).get();
        }
        return null;
    }

    /** Closes the connection of the exchange; nothing when no request was written yet. */
    void abort() {
        close();
    }

    /**
     * Closes the connection and waits until it is closed, so that nothing more of the request can be written
     * after this returns: a streamed body cut here never gets its last chunk.
     */
    void abortAndWait() {
        io.vertx.core.Future<Void> closed = close();
        if (closed != null) {
            try {
                closed.toCompletionStage().toCompletableFuture().get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (Exception notClosedInTime) {
                // The close was asked for; the caller fails the exchange either way.
            }
        }
    }

    private io.vertx.core.Future<Void> close() {
        HttpClientRequest current = request();
        if (current == null || current.connection() == null) {
            return null;
        }
        try {
            return current.connection().close();
        } catch (RuntimeException alreadyGone) {
            return null;
        }
    }

    /** Registered on every client: hands each exchange's request context to its handle. */
    static final class Capture implements ClientRequestFilter {
        @Override
        public void filter(ClientRequestContext requestContext) {
            if (requestContext.getProperty(PROPERTY) instanceof ExchangeHandle handle
                    && requestContext instanceof ClientRequestContextImpl impl) {
                handle.context = impl;
            }
        }
    }
}
