package dev.apistep.support;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link ToolCatalogueProfile}'s catalogue served by container mode as a deployment serves it: callers need a token
 * ({@link #TENANT_TOKEN} bound to tenant {@link #TENANT}, {@link #PLATFORM_TOKEN} acting for any), and two concurrent
 * steps, so that a test can see a slot held.
 */
public class ContainerToolCatalogueProfile extends ToolCatalogueProfile {

    public static final String TENANT = "acme";
    public static final String TENANT_TOKEN = "acme-tool-token-5c21e9";
    public static final String PLATFORM_TOKEN = "platform-tool-token-77a0d3";
    public static final int SLOTS = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("api-step.anonymous-callers", "false");
        overrides.put("api-step.callers", "{\"" + TENANT_TOKEN + "\": \"" + TENANT + "\", \"" + PLATFORM_TOKEN + "\": \"*\"}");
        overrides.put("api-step.http.max-concurrent-steps", Integer.toString(SLOTS));
        return overrides;
    }
}
