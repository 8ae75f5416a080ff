package dev.apistep.destination;

import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import dev.apistep.exchange.UsedSecrets;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which hosts a secret may be sent to, from {@code API_STEP_BOUND_SECRETS}
 * ({@code name=host,*.domain;other=host}). A request carrying a bound secret to any other host, on its
 * first hop or any redirect, fails with {@code BLOCKED_DESTINATION}. Unbound secrets go wherever the step
 * sends them.
 */
public final class SecretBindings {

    private final Map<String, List<String>> hostsBySecret;

    public SecretBindings(String bindings) {
        Map<String, List<String>> parsed = new HashMap<>();
        for (String binding : bindings.split(";")) {
            int equals = binding.indexOf('=');
            if (equals > 0) {
                parsed.put(binding.substring(0, equals).trim(), List.of(binding.substring(equals + 1)
                        .toLowerCase(Locale.ROOT).replace(" ", "").split(",")));
            }
        }
        this.hostsBySecret = Map.copyOf(parsed);
    }

    public void check(UsedSecrets secrets, URI destination) {
        String host = destination.getHost().toLowerCase(Locale.ROOT);
        for (String name : secrets.names()) {
            List<String> hosts = hostsBySecret.get(name);
            if (hosts != null && hosts.stream().noneMatch(pattern -> matches(pattern, host))) {
                throw new StepFailure(ErrorCode.BLOCKED_DESTINATION, null,
                        "secret '" + name + "' may not be sent to " + destination.getHost());
            }
        }
    }

    private static boolean matches(String pattern, String host) {
        return pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : pattern.equals(host);
    }
}
