package dev.apistep.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.apistep.core.NameValue;
import java.util.List;

/**
 * The request as sent, secrets masked, for test and render modes; {@code curl} is the same request as one
 * POSIX-shell command line (contract §7), left out (null) when a trace is cut down to fit the result.
 */
public record RequestTrace(String method, String url, List<NameValue> headers, String body,
        @JsonInclude(JsonInclude.Include.NON_NULL) String curl) {

    public RequestTrace {
        headers = List.copyOf(headers);
    }

    /** A trace without its command line. */
    public RequestTrace(String method, String url, List<NameValue> headers, String body) {
        this(method, url, headers, body, null);
    }
}
