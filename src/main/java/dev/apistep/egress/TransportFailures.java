package dev.apistep.egress;

import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import dev.apistep.destination.DestinationPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateExpiredException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Names what went wrong on the wire, by the exception's cause chain, in the contract's codes. Messages
 * name the host the step asked for: never an address, never the exception's own text (which may hold
 * both).
 */
public final class TransportFailures {

    /** The {@code reason} of a CONNECT_FAILURE where no connection was made, so nothing was sent. */
    public static final String NOT_CONNECTED = "NOT_CONNECTED";

    private TransportFailures() {
    }

    static StepFailure classify(Throwable failure, String host) {
        if (find(failure, ConnectTimeGuard.BlockedConnectionException.class) != null) {
            return DestinationPolicy.notAllowed(host);
        }
        SSLException tls = find(failure, SSLException.class);
        if (tls != null) {
            String reason = tlsReason(failure);
            return new StepFailure(ErrorCode.TLS_FAILURE, reason,
                    "TLS with " + host + " failed: " + reason.toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        if (find(failure, UnknownHostException.class) != null) {
            return new StepFailure(ErrorCode.DNS_FAILURE, null, "could not resolve host " + host);
        }
        if (find(failure, io.netty.channel.ConnectTimeoutException.class) != null) {
            return timeout(host);
        }
        if (find(failure, ConnectException.class) != null) {
            return new StepFailure(ErrorCode.CONNECT_FAILURE, NOT_CONNECTED, "could not connect to " + host);
        }
        if (find(failure, TimeoutException.class) != null || find(failure, InterruptedIOException.class) != null
                || find(failure, InterruptedException.class) != null || mentionsTimeout(failure)) {
            return timeout(host);
        }
        MalformedResponseException malformed = find(failure, MalformedResponseException.class);
        String malformedReason = malformed != null ? malformed.reason() : malformedReason(failure);
        if (malformedReason != null) {
            return new StepFailure(ErrorCode.CONNECT_FAILURE, malformedReason,
                    "the response from " + host + " is not valid HTTP: " + malformedReason.toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        if (find(failure, io.netty.handler.codec.TooLongFrameException.class) != null || mentionsOversizeHead(failure)) {
            return new StepFailure(ErrorCode.RESPONSE_TOO_LARGE, null, "the response headers from " + host + " are too large");
        }
        if (find(failure, IOException.class) != null || find(failure, io.vertx.core.VertxException.class) != null) {
            return new StepFailure(ErrorCode.CONNECT_FAILURE, null, "the connection to " + host + " failed before a complete response");
        }
        return new StepFailure(ErrorCode.INTERNAL, null, "the request to " + host + " failed unexpectedly");
    }

    /** Whether a failure is TLS's own (a handshake failure or an alert from the peer). */
    static boolean isTls(Throwable failure) {
        return find(failure, SSLException.class) != null;
    }

    static StepFailure timeout(String host) {
        return new StepFailure(ErrorCode.TIMEOUT, null, "no complete response from " + host + " within the step's time limit");
    }

    private static String tlsReason(Throwable failure) {
        if (find(failure, CertificateExpiredException.class) != null) {
            return "EXPIRED";
        }
        String messages = messages(failure);
        if (messages.contains("no subject alternative") || messages.contains("no name matching")
                || messages.contains("hostname verification")) {
            return "HOSTNAME_MISMATCH";
        }
        if (messages.contains("pkix") || messages.contains("unable to find valid certification path")
                || messages.contains("trust anchor")) {
            return "UNTRUSTED";
        }
        if (messages.contains("bad_certificate") || messages.contains("certificate_required")
                || messages.contains("certificate_unknown")) {
            return "CLIENT_CERT_REJECTED";
        }
        return "HANDSHAKE";
    }

    /** The reason a {@link MalformedResponseException} gave, when only its message survived a re-wrap. */
    private static String malformedReason(Throwable failure) {
        String messages = messages(failure);
        int at = messages.indexOf("malformed http response: ");
        if (at < 0) {
            return null;
        }
        String rest = messages.substring(at + "malformed http response: ".length()).toUpperCase(Locale.ROOT);
        for (String reason : List.of(MalformedResponseException.NOT_HTTP, MalformedResponseException.BAD_STATUS_LINE,
                MalformedResponseException.BAD_CHUNKING, MalformedResponseException.CONFLICTING_LENGTH,
                MalformedResponseException.BAD_COMPRESSION)) {
            if (rest.startsWith(reason)) {
                return reason;
            }
        }
        return MalformedResponseException.MALFORMED_RESPONSE;
    }

    /** The REST client re-wraps Netty's decoder failures as plain IOExceptions: only Netty's message is left. */
    private static boolean mentionsOversizeHead(Throwable failure) {
        String messages = messages(failure);
        return messages.contains("header is larger than") || messages.contains("line is larger than");
    }

    private static boolean mentionsTimeout(Throwable failure) {
        String messages = messages(failure);
        return messages.contains("timeout") || messages.contains("timed out");
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            all.append(cause.getClass().getSimpleName()).append(' ').append(cause.getMessage()).append('\n');
        }
        return all.toString().toLowerCase(Locale.ROOT);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
