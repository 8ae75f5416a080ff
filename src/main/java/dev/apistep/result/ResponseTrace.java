package dev.apistep.result;

import dev.apistep.core.NameValue;
import java.util.List;

/** The response as received, for test mode: the body cut at a size a builder's screen can show. */
public record ResponseTrace(int status, List<NameValue> headers, String body, boolean bodyTruncated, List<String> paths) {

    public ResponseTrace {
        headers = List.copyOf(headers);
        paths = List.copyOf(paths);
    }
}
