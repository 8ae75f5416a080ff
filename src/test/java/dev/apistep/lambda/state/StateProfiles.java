package dev.apistep.lambda.state;

import dev.apistep.support.DynaliteServer;
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

    /**
     * A real dynalite; the function finds it through the AWS SDK's standard settings (the system-property forms
     * of {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_REGION} and the credentials variables: the packaged test
     * sets the environment variables themselves).
     */
    public static final class DynamoDb implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> settings = common();
            settings.put("api-step.state", "dynamodb");
            settings.put("api-step.dynamodb.table", DynaliteServer.TABLE);
            settings.put("api-step.state-timeout", "500ms");
            return settings;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DynaliteResource.class));
        }
    }

    public static final class DynaliteResource implements QuarkusTestResourceLifecycleManager {
        static volatile DynaliteServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = DynaliteServer.start();
            } catch (Exception failed) {
                throw new IllegalStateException(failed.getMessage(), failed);
            }
            System.setProperty("aws.endpointUrlDynamoDb", server.endpoint());
            System.setProperty("aws.region", DynaliteServer.REGION);
            System.setProperty("aws.accessKeyId", DynaliteServer.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", DynaliteServer.SECRET_KEY);
            return Map.of();
        }

        @Override
        public void stop() {
            for (String property : List.of("aws.endpointUrlDynamoDb", "aws.region", "aws.accessKeyId", "aws.secretAccessKey")) {
                System.clearProperty(property);
            }
            try {
                server.close();
            } catch (Exception ignored) {
                // the test run is over
            }
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
