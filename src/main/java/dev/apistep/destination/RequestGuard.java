package dev.apistep.destination;

import dev.apistep.core.NameValue;
import dev.apistep.core.StepFailure;
import dev.apistep.exchange.OutboundRequest;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules every rendered request must pass before anything is sent: header names the transport or the
 * cloud owns cannot be set by a step, header values hold no control character (a line break would inject a
 * header), and the body has a cap.
 */
public final class RequestGuard {

    /** Framing and hop-by-hop headers belong to the client; metadata-token headers would reach cloud credentials. */
    private static final Set<String> FORBIDDEN_HEADERS = Set.of(
            "host", "content-length", "transfer-encoding", "te", "connection", "upgrade", "keep-alive",
            "trailer", "expect", "proxy-authorization", "metadata", "metadata-flavor",
            "x-aws-parameters-secrets-token");
    private static final String AWS_METADATA_TOKEN_PREFIX = "x-aws-ec2-metadata-token";
    /** RFC 9110 token characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** A bot step's payload: far above any form or JSON document a flow builds, far below Lambda's limits. */
    public static final long MAX_REQUEST_BODY_BYTES = 1024 * 1024;

    public void check(OutboundRequest request) {
        for (NameValue header : request.headers()) {
            if (!HEADER_NAME.matcher(header.name()).matches()) {
                throw StepFailure.invalidStep("step.request.headers", "a header name is not a valid HTTP token");
            }
            String lower = header.name().toLowerCase(Locale.ROOT);
            if (FORBIDDEN_HEADERS.contains(lower) || lower.startsWith(AWS_METADATA_TOKEN_PREFIX)) {
                throw StepFailure.invalidStep(field(header), "the header " + header.name() + " cannot be set by a step");
            }
            String fault = valueFault(header.value());
            if (fault != null) {
                throw StepFailure.invalidStep(field(header), "the value of header " + header.name() + " contains " + fault);
            }
        }
        // Files and binary bodies have their own cap (options.maxUploadBytes), applied as they are rendered.
        if (request.body().size() - request.body().uploadSize() > MAX_REQUEST_BODY_BYTES) {
            throw StepFailure.invalidStep("step.request.body",
                    "step.request.body is larger than " + MAX_REQUEST_BODY_BYTES + " bytes once rendered");
        }
    }

    /**
     * The control character in a header value, in words, or null: RFC 9110 §5.5 allows tab and no other. A line
     * break would inject a header; any other one fails inside the client, after render mode said yes. Text past
     * ASCII is allowed (it goes out as its UTF-8 bytes).
     */
    private static String valueFault(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                return "a line break";
            }
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return String.format("the control character U+%04X", (int) c);
            }
        }
        return null;
    }

    private static String field(NameValue header) {
        return "step.request.headers." + header.name();
    }
}
