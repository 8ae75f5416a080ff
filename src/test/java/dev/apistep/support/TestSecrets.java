package dev.apistep.support;

import dev.apistep.core.LosslessJson;
import dev.apistep.template.SecretStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A secret store for stage tests: an environment given as a map, no extension. */
public final class TestSecrets {

    private TestSecrets() {
    }

    public static SecretStore fromEnvironment(Map<String, String> environment) {
        return new SecretStore(new SecretStore.Sources(environment::get, Optional.empty(), Duration.ofMinutes(5)),
                LosslessJson.newMapper());
    }

    public static SecretStore none() {
        return fromEnvironment(Map.of());
    }
}
