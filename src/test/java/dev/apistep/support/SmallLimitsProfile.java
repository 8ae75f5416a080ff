package dev.apistep.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Small breaker and rate-limit settings, for the tests that trip them; the other test classes run with
 * them out of reach. Breakers: 4 calls judged, half failing opens, 1 s cool-down. Rate limits: 3 calls a
 * minute per tenant, 8 per destination.
 */
public final class SmallLimitsProfile implements QuarkusTestProfile {

    public static final int COOL_DOWN_MS = 1_000;
    public static final int PER_TENANT = 3;
    public static final int PER_DESTINATION = 8;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("api-step.circuit-breaker.request-volume-threshold", "4",
                "api-step.circuit-breaker.failure-ratio", "0.5",
                "api-step.circuit-breaker.delay", COOL_DOWN_MS + "ms",
                "api-step.rate-limit.per-tenant-per-minute", Integer.toString(PER_TENANT),
                "api-step.rate-limit.per-destination-per-minute", Integer.toString(PER_DESTINATION));
    }
}
