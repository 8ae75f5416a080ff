package dev.apistep.egress;

import dev.apistep.destination.DestinationPolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.vertx.core.impl.VertxBuilder;
import io.vertx.core.impl.transports.JDKTransport;
import io.vertx.core.spi.VertxServiceProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Checks the address each outbound TCP connection actually connects to, after DNS, on every redirect hop
 * and every new pooled connection: a name that resolved to a public address for the destination check
 * and resolves to a private one for the client (DNS rebinding) never reaches the private one.
 * <p>
 * The REST client offers no hook at connect time, so this replaces the transport of Quarkus' Vert.x
 * instance (listed in {@code META-INF/services/io.vertx.core.spi.VertxServiceProvider}) with one whose
 * client sockets run the check. That relies on Vert.x 4 internals ({@link JDKTransport}), so
 * {@link HttpClients} refuses to build a client when the guard is not installed: the check fails closed.
 * The policy is set once at start-up, because Vert.x builds its transport before any bean exists.
 */
public final class ConnectTimeGuard implements VertxServiceProvider {

    private static volatile boolean installed;
    private static volatile DestinationPolicy policy;

    @Override
    public void init(VertxBuilder builder) {
        builder.findTransport(new GuardedTransport());
        installed = true;
    }

    public static boolean isInstalled() {
        return installed;
    }

    public static void use(DestinationPolicy destinations) {
        policy = destinations;
    }

    /** A connection refused by the connect-time check; nothing was sent. */
    public static final class BlockedConnectionException extends IOException {
        BlockedConnectionException() {
            super("destination not allowed", null);
        }
    }

    private static final class GuardedTransport extends JDKTransport {
        @Override
        public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
            if (domainSocket) {
                return super.channelFactory(true);
            }
            return GuardedSocketChannel::new;
        }
    }

    private static final class GuardedSocketChannel extends NioSocketChannel {
        private volatile io.netty.channel.ChannelPipeline building;
        private volatile boolean built;

        /** Vert.x builds its HTTP pipeline through this: {@link WireDiscipline} joins it, then the real one serves. */
        @Override
        public io.netty.channel.ChannelPipeline pipeline() {
            if (built) {
                return super.pipeline();
            }
            if (building == null) {
                building = WireDiscipline.inserting(super.pipeline(), () -> built = true);
            }
            return building;
        }

        @Override
        protected boolean doConnect(SocketAddress remote, SocketAddress local) throws Exception {
            DestinationPolicy current = policy;
            if (current == null || !(remote instanceof InetSocketAddress address) || !current.allowsConnection(address)) {
                throw new BlockedConnectionException();
            }
            return super.doConnect(remote, local);
        }
    }
}
