package dev.apistep.egress;

import dev.apistep.exchange.OutboundRequest;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Carries the invocation's X-Ray trace on to the step's call, when the invocation is traced. Lambda's
 * runtime (AWS's runtime interface client, and Quarkus' own poll loop in native mode) puts the
 * {@code Lambda-Runtime-Trace-Id} of each invocation in a system property; only a well-formed header whose
 * sampling decision is on goes out, rebuilt from its parts so nothing else in it can reach the request.
 */
public final class TraceHeader {

    public static final String NAME = "X-Amzn-Trace-Id";
    /** Where the Lambda runtime puts the current invocation's trace header. */
    public static final String LAMBDA_PROPERTY = "com.amazonaws.xray.traceHeader";

    private static final Pattern ROOT = Pattern.compile("(?:^|;)\\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})\\s*(?:;|$)");
    private static final Pattern PARENT = Pattern.compile("(?:^|;)\\s*Parent=([0-9a-f]{16})\\s*(?:;|$)");
    private static final Pattern SAMPLED = Pattern.compile("(?:^|;)\\s*Sampled=1\\s*(?:;|$)");

    private final Supplier<String> current;

    /** {@code current} gives the invocation's trace header, or null outside a traced invocation. */
    public TraceHeader(Supplier<String> current) {
        this.current = current;
    }

    public static TraceHeader fromLambdaRuntime() {
        return new TraceHeader(() -> System.getProperty(LAMBDA_PROPERTY));
    }

    /** The header to send, when the invocation is traced; a step that sets its own keeps it. */
    public OutboundRequest propagate(OutboundRequest request) {
        if (request.hasHeader(NAME)) {
            return request;
        }
        return value(current.get()).map(value -> request.withHeader(NAME, value)).orElse(request);
    }

    /** The header rebuilt from a well-formed, sampled one; empty for anything else. */
    static Optional<String> value(String header) {
        if (header == null || !SAMPLED.matcher(header).find()) {
            return Optional.empty();
        }
        Matcher root = ROOT.matcher(header);
        if (!root.find()) {
            return Optional.empty();
        }
        Matcher parent = PARENT.matcher(header);
        return Optional.of("Root=" + root.group(1) + (parent.find() ? ";Parent=" + parent.group(1) : "") + ";Sampled=1");
    }
}
