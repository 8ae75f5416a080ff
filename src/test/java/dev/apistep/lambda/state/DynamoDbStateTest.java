package dev.apistep.lambda.state;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Contract §6 on a real dynalite, then a frozen store: limits fail open, a keyed event fails closed. */
@QuarkusTest
@TestProfile(StateProfiles.DynamoDb.class)
class DynamoDbStateTest extends SharedStateContract {

    @Override
    String atRest(String scopedKey) {
        return StateProfiles.DynaliteResource.server.item("idem#" + scopedKey);
    }

    @Test
    void aFrozenStoreLetsStepsRunButRefusesKeyedEvents() throws Exception {
        postedWhileFrozen(() -> StateProfiles.DynaliteResource.server.pause(), () -> StateProfiles.DynaliteResource.server.resume());
    }
}
