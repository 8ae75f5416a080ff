package dev.apistep.destination;

import java.net.InetSocketAddress;

/**
 * The one hole in the destination check, for SnapStart priming: steps may call exactly one loopback endpoint (the
 * one the primer started) while this is open, and nothing else changes. Only the primer can open one (the caller
 * is checked), one at a time, and closing it ends it for good: afterwards that endpoint is refused like any
 * other loopback address.
 */
public final class PrimingExemption implements AutoCloseable {

    /** The only class that may open an exemption: the CRaC resource that primes before the snapshot (entry layer). */
    private static final String PRIMER_PACKAGE = "dev.apistep" + ".lambda";
    private static final String PRIMER_CLASS = "SnapStartPriming";
    private static final StackWalker CALLERS = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final DestinationPolicy policy;
    private final InetSocketAddress endpoint;

    private PrimingExemption(DestinationPolicy policy, InetSocketAddress endpoint) {
        this.policy = policy;
        this.endpoint = endpoint;
    }

    /** Lets steps checked by {@code policy} call {@code endpoint}, a loopback address and port, until closed. */
    public static PrimingExemption open(DestinationPolicy policy, InetSocketAddress endpoint) {
        Class<?> caller = CALLERS.getCallerClass();
        if (!caller.getPackageName().equals(PRIMER_PACKAGE) || !caller.getSimpleName().equals(PRIMER_CLASS)
                || caller.getClassLoader() != PrimingExemption.class.getClassLoader()) {
            throw new SecurityException("only the SnapStart primer may exempt a destination");
        }
        if (endpoint.getAddress() == null || !endpoint.getAddress().isLoopbackAddress() || endpoint.getPort() <= 0) {
            throw new IllegalArgumentException("a priming exemption is for one loopback address and port");
        }
        PrimingExemption exemption = new PrimingExemption(policy, endpoint);
        policy.exempt(exemption);
        return exemption;
    }

    /** Whether this exemption covers a connection to {@code remote}: the same address and port, nothing else. */
    boolean covers(java.net.InetAddress address, int port) {
        return address != null && address.equals(endpoint.getAddress()) && port == endpoint.getPort();
    }

    @Override
    public void close() {
        policy.endExemption(this);
    }
}
