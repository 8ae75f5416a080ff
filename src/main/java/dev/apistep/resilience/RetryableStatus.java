package dev.apistep.resilience;

import dev.apistep.egress.HttpResponse;

/** A response whose status says "try again later", carried as an exception through the retry guard. */
final class RetryableStatus extends RuntimeException {

    private final transient HttpResponse response;

    RetryableStatus(HttpResponse response) {
        super("status " + response.status(), null, false, false);
        this.response = response;
    }

    HttpResponse response() {
        return response;
    }
}
