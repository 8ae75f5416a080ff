package dev.apistep.packaged;

import dev.apistep.support.RedisServer;
import java.util.Map;

/** Eight packaged functions on one real redis-server. */
class PackagedRedisStateIT extends PackagedSharedState {

    private RedisServer redis;

    @Override
    Map<String, String> startStore() throws Exception {
        redis = RedisServer.start();
        return Map.of("API_STEP_STATE", "redis", "API_STEP_REDIS_URL", redis.url());
    }

    @Override
    void stopStore() throws Exception {
        redis.close();
    }

    @Override
    String atRest(String scopedKey) throws Exception {
        return redis.get("api-step:idem:" + scopedKey);
    }
}
