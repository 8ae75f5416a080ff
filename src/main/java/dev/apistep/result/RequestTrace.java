package dev.apistep.result;

import dev.apistep.core.NameValue;
import java.util.List;

/** The request as sent, secrets masked, for test and render modes. */
public record RequestTrace(String method, String url, List<NameValue> headers, String body) {

    public RequestTrace {
        headers = List.copyOf(headers);
    }
}
