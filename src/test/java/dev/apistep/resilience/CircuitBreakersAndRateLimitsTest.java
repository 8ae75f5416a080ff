package dev.apistep.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.state.MemoryStore;
import dev.apistep.state.StoreRateLimiter;
import dev.apistep.state.StoreTimeouts;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The breaker and rate-limit stages alone, with plain values. */
class CircuitBreakersAndRateLimitsTest {

    private static final URI FAILING = URI.create("https://failing.example.com/a");
    private static final URI HEALTHY = URI.create("https://healthy.example.com/a");

    @Test
    void repeatedServerErrorsOpenTheBreakerOfThatDestinationOnly() {
        CircuitBreakers breakers = new CircuitBreakers(new CircuitBreakers.Settings(4, 0.5, Duration.ofMinutes(1), 1));
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            assertEquals(503, breakers.call(FAILING, () -> {
                calls.incrementAndGet();
                return new HttpResponse(503, List.of(), new byte[0], FAILING);
            }).status());
        }

        StepFailure open = assertThrows(StepFailure.class, () -> breakers.call(FAILING, () -> {
            calls.incrementAndGet();
            return new HttpResponse(200, List.of(), new byte[0], FAILING);
        }));
        assertEquals(ErrorCode.CIRCUIT_OPEN, open.error().code());
        assertEquals(4, calls.get(), "an open breaker sends nothing");
        assertEquals(200, breakers.call(HEALTHY, () -> new HttpResponse(200, List.of(), new byte[0], HEALTHY)).status());
    }

    @Test
    void failuresOfAFileToUploadDoNotOpenTheDestinationsBreaker() {
        CircuitBreakers breakers = new CircuitBreakers(new CircuitBreakers.Settings(4, 0.5, Duration.ofMinutes(1), 1));
        for (int i = 0; i < 6; i++) {
            StepFailure download = assertThrows(StepFailure.class, () -> breakers.call(FAILING, () -> {
                throw new StepFailure(ErrorCode.CONNECT_FAILURE, "step.request.body.url", "could not connect to files.example.com");
            }));
            assertEquals(ErrorCode.CONNECT_FAILURE, download.error().code());
        }
        assertEquals(200, breakers.call(FAILING, () -> new HttpResponse(200, List.of(), new byte[0], FAILING)).status());
    }

    /** The default store's limiter: this instance's memory. */
    private static RateLimiter memoryLimiter() {
        return new StoreRateLimiter(new MemoryStore(), new StoreTimeouts(Duration.ofMillis(300)));
    }

    @Test
    void aTenantPastItsAllowanceIsRateLimitedAndOthersAreNot() {
        RateLimits limits = new RateLimits(memoryLimiter(), new RateLimits.Settings(2, 0));
        limits.acquire("acme", HEALTHY);
        limits.acquire("acme", HEALTHY);

        StepFailure limited = assertThrows(StepFailure.class, () -> limits.acquire("acme", HEALTHY));
        assertEquals(ErrorCode.RATE_LIMITED, limited.error().code());
        limits.acquire("globex", HEALTHY);
    }

    @Test
    void aDestinationPastItsAllowanceIsRateLimitedWhoeverCalls() {
        RateLimits limits = new RateLimits(memoryLimiter(), new RateLimits.Settings(0, 1));
        limits.acquire("acme", HEALTHY);

        assertEquals(ErrorCode.RATE_LIMITED,
                assertThrows(StepFailure.class, () -> limits.acquire("globex", HEALTHY)).error().code());
        limits.acquire("acme", FAILING);
    }
}
