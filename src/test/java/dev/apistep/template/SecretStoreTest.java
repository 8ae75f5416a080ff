package dev.apistep.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.support.ParametersSecretsExtension;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The extension's HTTP client is built on the first lookup that needs it, never at start-up. */
class SecretStoreTest {

    private static SecretStore store(Map<String, String> environment) {
        return new SecretStore(new SecretStore.Sources(environment::get,
                Optional.of(URI.create(ParametersSecretsExtension.url())), Duration.ofMinutes(5)), new ObjectMapper());
    }

    @Test
    void environmentSecretsNeverBuildTheExtensionClient() {
        SecretStore store = store(Map.of("API_STEP_SECRET_CRM_TOKEN", "env-value",
                "AWS_SESSION_TOKEN", ParametersSecretsExtension.SESSION_TOKEN));
        assertFalse(store.clientBuilt(), "built at construction");
        assertEquals("env-value", store.resolve("crm-token"));
        assertFalse(store.clientBuilt(), "built for a secret the environment holds");
    }

    @Test
    void theFirstExtensionLookupBuildsTheClientAndResolves() {
        SecretStore store = store(Map.of("AWS_SESSION_TOKEN", ParametersSecretsExtension.SESSION_TOKEN));
        assertFalse(store.clientBuilt());
        assertEquals("sm-secret-8c9d", store.resolve("crm/api-key"));
        assertTrue(store.clientBuilt());
        assertEquals("ssm-secret-5e6f", store.resolve("ssm:/bot/token"));
    }
}
