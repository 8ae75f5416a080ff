package dev.apistep.egress;

import java.io.IOException;

/**
 * A response that is not well-formed HTTP (or whose body cannot be decoded): the server answered, but with
 * something the step cannot use. Its {@link #reason()} names the fault for the CONNECT_FAILURE it becomes;
 * its message is fixed text, never the server's bytes.
 */
final class MalformedResponseException extends IOException {

    static final String MALFORMED_RESPONSE = "MALFORMED_RESPONSE";
    static final String NOT_HTTP = "NOT_HTTP";
    static final String BAD_STATUS_LINE = "BAD_STATUS_LINE";
    static final String BAD_CHUNKING = "BAD_CHUNKING";
    static final String CONFLICTING_LENGTH = "CONFLICTING_LENGTH";
    static final String BAD_COMPRESSION = "BAD_COMPRESSION";

    private final String reason;

    MalformedResponseException(String reason) {
        super("malformed HTTP response: " + reason);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
