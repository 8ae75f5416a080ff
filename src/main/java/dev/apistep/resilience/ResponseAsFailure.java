package dev.apistep.resilience;

import dev.apistep.exchange.HttpResponse;

/**
 * A response carried as an exception through a SmallRye guard, so that the guard can retry it or count it
 * as a failure; unwrapped again outside the guard.
 */
final class ResponseAsFailure extends RuntimeException {

    private final transient HttpResponse response;

    ResponseAsFailure(HttpResponse response) {
        super("status " + response.status(), null, false, false);
        this.response = response;
    }

    HttpResponse response() {
        return response;
    }
}
