package dev.apistep.destination;

import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses destinations that are not public unicast addresses (loopback, private, link-local and cloud
 * metadata, CGNAT, multicast, reserved and documentation ranges, IPv4 and IPv6), unless the operator
 * allowed them by name, address or CIDR in {@code API_STEP_ALLOWED_DESTINATIONS}. Every address a name
 * resolves to is checked: one blocked answer refuses the name. The message never says which address or
 * rule matched.
 */
public final class DestinationPolicy {

    private static final List<AddressBlock> BLOCKED = blocks(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "2001:db8::/32");
    /**
     * IPv6 ranges that carry an IPv4 address in their last four bytes, checked as that IPv4 address.
     * IPv4-mapped addresses need no entry: Java turns them into plain IPv4 addresses when parsing.
     */
    private static final List<AddressBlock> EMBEDDING_IPV4_AT_12 = blocks("::/96", "64:ff9b::/96");
    private static final AddressBlock SIX_TO_FOUR = AddressBlock.parse("2002::/16");

    private final Set<String> allowedHosts;
    private final List<AddressBlock> allowedBlocks;
    /** Open only while SnapStart priming runs (see {@link PrimingExemption}); null otherwise. */
    private volatile PrimingExemption priming;

    public DestinationPolicy(List<String> allowedDestinations) {
        List<String> hosts = new ArrayList<>();
        List<AddressBlock> addressBlocks = new ArrayList<>();
        for (String entry : allowedDestinations) {
            String trimmed = entry.trim().toLowerCase(Locale.ROOT);
            if (trimmed.isEmpty()) {
                continue;
            }
            if (AddressBlock.numericAddress(trimmed.split("/")[0]) != null) {
                addressBlocks.add(AddressBlock.parse(trimmed));
            } else {
                hosts.add(trimmed);
            }
        }
        this.allowedHosts = Set.copyOf(hosts);
        this.allowedBlocks = List.copyOf(addressBlocks);
    }

    public void check(URI uri) {
        if (uri.getHost() == null) {
            throw StepFailure.invalidStep("step.request.url", "the host of step.request.url is not a valid host name or address");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (allowedHosts.contains(host)) {
            return;
        }
        PrimingExemption exemption = priming;
        if (exemption != null && AddressBlock.numericAddress(host) != null) {
            try {
                if (exemption.covers(InetAddress.getByName(stripBrackets(host)), uri.getPort())) {
                    return;
                }
            } catch (UnknownHostException notAnAddress) {
                // Checked below like any other host.
            }
        }
        if (host.indexOf('%') >= 0) {
            // An IPv6 zone id names an interface of this machine (link-local): refused before any lookup.
            throw notAllowed(uri.getHost());
        }
        byte[] literal = AddressBlock.numericAddress(host);
        if (literal == null && isOddIpv4Notation(host)) {
            throw StepFailure.invalidStep("step.request.url", "the host of step.request.url is not a valid host name or address");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(literal != null ? stripBrackets(host) : host);
        } catch (UnknownHostException unknown) {
            throw new StepFailure(ErrorCode.DNS_FAILURE, null, "could not resolve host " + uri.getHost());
        }
        for (InetAddress address : addresses) {
            if (isBlocked(address.getAddress()) && !isAllowed(address.getAddress())) {
                throw notAllowed(uri.getHost());
            }
        }
    }

    /**
     * Numbers that resolvers read as IPv4 in other notations (2130706433, 0x7f.1, 0177.0.0.1): dot-separated
     * decimal or 0x-hex parts, a trailing dot allowed. Read by hand: a repeated regex group recurses once per
     * part and a host of thousands of parts would overflow the stack.
     */
    static boolean isOddIpv4Notation(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty()) {
            return false;
        }
        for (String part : name.split("\\.", -1)) {
            boolean hex = part.length() >= 2 && part.charAt(0) == '0' && (part.charAt(1) == 'x' || part.charAt(1) == 'X');
            String digits = hex ? part.substring(2) : part;
            if (!hex && digits.isEmpty()) {
                return false;
            }
            for (int i = 0; i < digits.length(); i++) {
                char c = digits.charAt(i);
                boolean digit = c >= '0' && c <= '9';
                boolean hexDigit = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                if (hex ? !hexDigit : !digit) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One message for every refusal, whichever check and rule refused: it never names the address or rule. */
    public static StepFailure notAllowed(String host) {
        return new StepFailure(ErrorCode.BLOCKED_DESTINATION, null, "the destination " + host + " is not allowed");
    }

    /**
     * The connect-time check of an address the client resolved: allowed by the name it was resolved from,
     * by the operator's address ranges, or because it is public. Unresolved addresses are refused.
     */
    public boolean allowsConnection(InetSocketAddress remote) {
        if (remote.getAddress() == null) {
            return false;
        }
        byte[] address = remote.getAddress().getAddress();
        PrimingExemption exemption = priming;
        if (exemption != null && exemption.covers(remote.getAddress(), remote.getPort())) {
            return true;
        }
        return !isBlocked(address) || isAllowed(address)
                || allowedHosts.contains(remote.getHostString().toLowerCase(Locale.ROOT));
    }

    synchronized void exempt(PrimingExemption exemption) {
        if (priming != null) {
            throw new IllegalStateException("a priming exemption is open already");
        }
        priming = exemption;
    }

    synchronized void endExemption(PrimingExemption exemption) {
        if (priming == exemption) {
            priming = null;
        }
    }

    private boolean isAllowed(byte[] address) {
        return allowedBlocks.stream().anyMatch(block -> block.contains(address));
    }

    static boolean isBlocked(byte[] address) {
        if (BLOCKED.stream().anyMatch(block -> block.contains(address))) {
            return true;
        }
        if (EMBEDDING_IPV4_AT_12.stream().anyMatch(block -> block.contains(address))) {
            return isBlocked(java.util.Arrays.copyOfRange(address, 12, 16));
        }
        if (SIX_TO_FOUR.contains(address)) {
            return isBlocked(java.util.Arrays.copyOfRange(address, 2, 6));
        }
        return false;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static List<AddressBlock> blocks(String... cidrs) {
        List<AddressBlock> blocks = new ArrayList<>();
        for (String cidr : cidrs) {
            blocks.add(AddressBlock.parse(cidr));
        }
        return List.copyOf(blocks);
    }
}
