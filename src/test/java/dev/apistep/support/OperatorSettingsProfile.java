package dev.apistep.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Settings an operator gives, for the tests that exercise them (the other test classes run with limits out
 * of reach): breakers judge 4 calls, half failing opens, 1 s cool-down; rate limits of 3 steps a minute per
 * tenant and 8 per destination; secret bindings; the Parameters and Secrets extension served on loopback;
 * a webhook secret, so HTTP requests must be signed and callbacks are.
 */
public final class OperatorSettingsProfile implements QuarkusTestProfile {

    public static final int COOL_DOWN_MS = 1_000;
    /** The shared Standard Webhooks secret: base64 after the prefix, as providers issue them. */
    public static final String WEBHOOK_SECRET = "whsec_b3BlcmF0b3Itd2ViaG9vay1zZWNyZXQtMDEyMzQ1Njc4OQ==";
    public static final int PER_TENANT = 3;
    public static final int PER_DESTINATION = 8;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("api-step.webhook.secret", WEBHOOK_SECRET,
                "api-step.secrets.extension-url", ParametersSecretsExtension.url(),
                "api-step.bound-secrets", "crm-token=127.0.0.1;bound-elsewhere=api.crm.example,*.crm.example",
                "api-step.circuit-breaker.request-volume-threshold", "4",
                "api-step.circuit-breaker.failure-ratio", "0.5",
                "api-step.circuit-breaker.delay", COOL_DOWN_MS + "ms",
                "api-step.rate-limit.per-tenant-per-minute", Integer.toString(PER_TENANT),
                "api-step.rate-limit.per-destination-per-minute", Integer.toString(PER_DESTINATION));
    }
}
