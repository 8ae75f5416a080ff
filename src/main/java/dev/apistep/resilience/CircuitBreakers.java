package dev.apistep.resilience;

import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import dev.apistep.exchange.HttpResponse;
import io.smallrye.faulttolerance.api.TypedGuard;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * One circuit breaker per destination (scheme, host, port), kept across warm invocations of this function
 * instance: after repeated connect failures, timeouts or server errors, calls to that destination fail
 * fast with {@code CIRCUIT_OPEN} for a cool-down, then one trial call decides. Other destinations are
 * unaffected. Bounded: the least recently used breakers are forgotten first.
 */
public final class CircuitBreakers {

    /** Thresholds, from configuration. */
    public record Settings(int requestVolumeThreshold, double failureRatio, Duration delay, int successThreshold) {
    }

    /** Destinations remembered at once; a forgotten one starts closed again. */
    static final int MAX_DESTINATIONS = 500;
    private static final Set<Integer> SERVER_ERRORS = Set.of(500, 502, 503, 504);
    private static final Set<ErrorCode> COUNTED_FAILURES = Set.of(ErrorCode.CONNECT_FAILURE, ErrorCode.TIMEOUT);

    private final Settings settings;
    private final Map<String, TypedGuard<HttpResponse>> byDestination = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TypedGuard<HttpResponse>> eldest) {
            return size() > MAX_DESTINATIONS;
        }
    };

    public CircuitBreakers(Settings settings) {
        this.settings = settings;
    }

    public HttpResponse call(URI destination, Supplier<HttpResponse> exchange) {
        try {
            return guardFor(key(destination)).call(() -> {
                HttpResponse response = exchange.get();
                if (SERVER_ERRORS.contains(response.status())) {
                    throw new ResponseAsFailure(response);
                }
                return response;
            });
        } catch (ResponseAsFailure serverError) {
            return serverError.response();
        } catch (CircuitBreakerOpenException open) {
            throw new StepFailure(ErrorCode.CIRCUIT_OPEN, null, "calls to " + destination.getHost()
                    + " are paused after repeated failures; the next trial is within " + settings.delay().toSeconds() + " s");
        } catch (StepFailure failure) {
            throw failure;
        } catch (Exception unexpected) {
            throw new StepFailure(ErrorCode.INTERNAL, null, "the circuit breaker for " + destination.getHost() + " failed");
        }
    }

    private TypedGuard<HttpResponse> guardFor(String key) {
        synchronized (byDestination) {
            return byDestination.computeIfAbsent(key, destination -> TypedGuard.create(HttpResponse.class)
                    .withCircuitBreaker()
                    .requestVolumeThreshold(settings.requestVolumeThreshold())
                    .failureRatio(settings.failureRatio())
                    .delay(settings.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(settings.successThreshold())
                    .when(CircuitBreakers::countsAsFailure)
                    .done()
                    .build());
        }
    }

    /** A failure whose reason names a step field (a file to upload from a URL) is not the destination's. */
    private static boolean countsAsFailure(Throwable failure) {
        return failure instanceof ResponseAsFailure
                || (failure instanceof StepFailure stepFailure && COUNTED_FAILURES.contains(stepFailure.error().code())
                        && (stepFailure.error().reason() == null || !stepFailure.error().reason().startsWith("step.")));
    }

    /** A destination is its scheme, host and port. */
    static String key(URI destination) {
        int port = destination.getPort() != -1 ? destination.getPort() : destination.getScheme().equals("https") ? 443 : 80;
        return destination.getScheme() + "://" + destination.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
