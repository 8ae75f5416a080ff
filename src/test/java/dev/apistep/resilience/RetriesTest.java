package dev.apistep.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepFailure;
import dev.apistep.egress.TransportFailures;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import dev.apistep.exchange.UsedSecrets;
import dev.apistep.step.RetryOptions;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The retry stage alone: an exchange that answers from a script, and what the stage makes of it. */
class RetriesTest {

    private static final URI API = URI.create("https://api.example.com/orders");
    private static final RetryOptions THREE_QUICK_ATTEMPTS = new RetryOptions(3, 1, 5, false);

    private final Retries retries = new Retries();
    private final List<OutboundRequest> sent = new ArrayList<>();

    @Test
    void retriesAnUnavailableServiceUntilItAnswers() {
        Attempts attempts = retries.call(request("GET"), THREE_QUICK_ATTEMPTS, Deadline.afterMillis(10_000),
                script(() -> response(503), () -> response(200)));

        assertEquals(200, attempts.response().status());
        assertNull(attempts.failure());
        assertEquals(2, attempts.count());
    }

    @Test
    void givesTheLastResponseWhenEveryAttemptIsUnavailable() {
        Attempts attempts = retries.call(request("GET"), THREE_QUICK_ATTEMPTS, Deadline.afterMillis(10_000),
                script(() -> response(503), () -> response(502), () -> response(504)));

        assertEquals(504, attempts.response().status());
        assertEquals(3, attempts.count());
    }

    @Test
    void neverRepeatsAPostThatReachedTheServerUnlessTheStepOptsIn() {
        Attempts attempts = retries.call(request("POST"), THREE_QUICK_ATTEMPTS, Deadline.afterMillis(10_000),
                script(() -> response(503), () -> response(200)));

        assertEquals(503, attempts.response().status());
        assertEquals(1, attempts.count());
    }

    @Test
    void repeatsAPostWhoseConnectionWasNeverMade() {
        Attempts attempts = retries.call(request("POST"), THREE_QUICK_ATTEMPTS, Deadline.afterMillis(10_000),
                script(() -> {
                    throw new StepFailure(ErrorCode.CONNECT_FAILURE, TransportFailures.NOT_CONNECTED, "could not connect");
                }, () -> response(201)));

        assertEquals(201, attempts.response().status());
        assertEquals(2, attempts.count());
    }

    @Test
    void anOptedInPostCarriesOneIdempotencyKeyOnEveryAttempt() {
        RetryOptions optedIn = new RetryOptions(3, 1, 5, true);

        retries.call(request("POST"), optedIn, Deadline.afterMillis(10_000),
                script(() -> response(500), () -> response(500), () -> response(200)));

        List<String> keys = sent.stream().map(each -> header(each, "Idempotency-Key")).toList();
        assertEquals(3, keys.size());
        assertTrue(keys.get(0) != null && !keys.get(0).isBlank(), "a key is added");
        assertEquals(1, keys.stream().distinct().count(), "the same key on every attempt: " + keys);
    }

    @Test
    void aRetryAfterTheDeadlineCannotWaitForEndsRateLimited() {
        Attempts attempts = retries.call(request("GET"), THREE_QUICK_ATTEMPTS, Deadline.afterMillis(2_000),
                script(() -> new HttpResponse(429, List.of(new NameValue("Retry-After", "120")), new byte[0], API)));

        assertEquals(429, attempts.response().status());
        assertEquals(ErrorCode.RATE_LIMITED, attempts.failure().code());
        assertTrue(attempts.failure().message().contains("120 s"), attempts.failure().message());
        assertEquals(1, attempts.count());
    }

    @Test
    void aFailureThatIsNotTransientIsNotRetried() {
        Attempts attempts = retries.call(request("GET"), THREE_QUICK_ATTEMPTS, Deadline.afterMillis(10_000),
                script(() -> {
                    throw new StepFailure(ErrorCode.TLS_FAILURE, "UNTRUSTED", "TLS with api.example.com failed");
                }, () -> response(200)));

        assertEquals(ErrorCode.TLS_FAILURE, attempts.failure().code());
        assertEquals(1, attempts.count());
    }

    @Test
    void theServersRetryAfterIsReadInSecondsOrAsADate() {
        assertEquals(3000, RetryDecisions.retryAfterMillis(" 3 ").getAsLong());
        assertTrue(RetryDecisions.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT").isPresent());
        assertTrue(RetryDecisions.retryAfterMillis("soon").isEmpty());
    }

    /** An exchange that answers each attempt with the next scripted answer, recording what it was sent. */
    @SafeVarargs
    private Function<OutboundRequest, HttpResponse> script(Supplier<HttpResponse>... answers) {
        Deque<Supplier<HttpResponse>> left = new ArrayDeque<>(List.of(answers));
        return request -> {
            sent.add(request);
            return left.size() > 1 ? left.poll().get() : left.peek().get();
        };
    }

    private static OutboundRequest request(String method) {
        return new OutboundRequest(method, API, List.of(), RequestBody.NONE, null, UsedSecrets.NONE);
    }

    private static HttpResponse response(int status) {
        return new HttpResponse(status, List.of(), new byte[0], API);
    }

    private static String header(OutboundRequest request, String name) {
        return request.headers().stream().filter(header -> header.name().equalsIgnoreCase(name))
                .map(NameValue::value).findFirst().orElse(null);
    }
}
