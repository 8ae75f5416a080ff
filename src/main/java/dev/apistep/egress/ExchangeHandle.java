package dev.apistep.egress;

import io.vertx.core.http.HttpClientRequest;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import org.jboss.resteasy.reactive.client.impl.ClientRequestContextImpl;

/**
 * The Vert.x request under one REST client exchange, so that {@link HttpSender} can drop the connection when
 * it gives up on a body (over the cap, past the deadline, undecodable): closing the JAX-RS response would
 * instead keep reading, and discarding, whatever the server still sends.
 */
final class ExchangeHandle {

    /** The invocation property that carries the handle to {@link Capture}. */
    static final String PROPERTY = "api-step.exchange";

    private volatile HttpClientRequest request;

    /**
     * The fault {@link WireDiscipline} found in the response, if any: once Vert.x closes the connection for it,
     * the body stream only reports the close.
     */
    String fault() {
        HttpClientRequest current = request;
        if (current != null && current.connection() instanceof io.vertx.core.net.impl.ConnectionBase connection) {
            return connection.channel().attr(WireDiscipline.FAULT).get();
        }
        return null;
    }

    /** Closes the connection the response arrives on; nothing when the response never arrived. */
    void abort() {
        HttpClientRequest current = request;
        if (current != null) {
            try {
                current.connection().close();
            } catch (RuntimeException alreadyGone) {
                // The connection is closed already.
            }
        }
    }

    /** Registered on every client: hands the exchange's Vert.x request to its handle. */
    static final class Capture implements ClientResponseFilter {
        @Override
        public void filter(ClientRequestContext requestContext, ClientResponseContext responseContext) {
            if (requestContext.getProperty(PROPERTY) instanceof ExchangeHandle handle
                    && requestContext instanceof ClientRequestContextImpl impl) {
                handle.request = impl.unwrap(HttpClientRequest.class);
            }
        }
    }
}
