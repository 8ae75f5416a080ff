package dev.apistep.pipeline;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** Operator settings, read once at the edge and handed to the stages as plain values. */
@ConfigMapping(prefix = "api-step")
public interface StepConfig {

    /**
     * Hosts, addresses and CIDR blocks exempt from the destination check; from the environment variable
     * {@code API_STEP_ALLOWED_DESTINATIONS} (comma-separated). Empty by default: only public addresses.
     */
    Optional<List<String>> allowedDestinations();
}
