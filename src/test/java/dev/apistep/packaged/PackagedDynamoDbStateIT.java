package dev.apistep.packaged;

import dev.apistep.support.DynaliteServer;
import java.util.Map;

/**
 * Eight packaged functions on one real dynalite, found as on AWS through the SDK's standard environment:
 * {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_REGION} and the credentials variables.
 */
class PackagedDynamoDbStateIT extends PackagedSharedState {

    private DynaliteServer dynalite;

    @Override
    Map<String, String> startStore() throws Exception {
        dynalite = DynaliteServer.start();
        return Map.of("API_STEP_STATE", "dynamodb", "API_STEP_DYNAMODB_TABLE", DynaliteServer.TABLE,
                "AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint(), "AWS_REGION", DynaliteServer.REGION,
                "AWS_ACCESS_KEY_ID", DynaliteServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", DynaliteServer.SECRET_KEY);
    }

    @Override
    void stopStore() throws Exception {
        dynalite.close();
    }

    @Override
    String atRest(String scopedKey) {
        return dynalite.item("idem#" + scopedKey);
    }
}
