package dev.apistep.state;

import dev.apistep.support.RedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The function on each store, with recent runs on and small allowances, for the shared-state tests. */
final class StateProfiles {

    static final int PER_TENANT = 4;

    private StateProfiles() {
    }

    static Map<String, String> common() {
        Map<String, String> settings = new HashMap<>();
        settings.put("api-step.history.enabled", "true");
        settings.put("api-step.rate-limit.per-tenant-per-minute", Integer.toString(PER_TENANT));
        settings.put("api-step.rate-limit.per-destination-per-minute", "0");
        return settings;
    }

    /** The default store, with recent runs on. */
    public static final class Memory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return common();
        }
    }

    /** A real redis-server started for the application; the tests stop, freeze and restart it. */
    public static final class Redis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> settings = common();
            settings.put("api-step.state", "redis");
            settings.put("api-step.state-timeout", "300ms");
            return settings;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisResource.class));
        }
    }

    /** Starts the server before the application, hands its URL to it, and keeps it for the tests. */
    public static final class RedisResource implements QuarkusTestResourceLifecycleManager {
        static volatile RedisServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = RedisServer.start();
            } catch (Exception failed) {
                throw new IllegalStateException(failed.getMessage(), failed);
            }
            return Map.of("api-step.redis.url", server.url());
        }

        @Override
        public void stop() {
            try {
                server.close();
            } catch (Exception ignored) {
                // the test run is over
            }
        }
    }
}
