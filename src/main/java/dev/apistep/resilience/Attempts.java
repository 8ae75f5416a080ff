package dev.apistep.resilience;

import dev.apistep.core.StepError;
import dev.apistep.exchange.HttpResponse;

/** What all attempts at one request gave: the last response, or the failure of the last attempt; and how many. */
public record Attempts(HttpResponse response, StepError failure, int count) {

    /** These attempts followed by {@code more}: the later ones decide, the counts add up. */
    public Attempts then(Attempts more) {
        return new Attempts(more.response(), more.failure(), count + more.count());
    }
}
