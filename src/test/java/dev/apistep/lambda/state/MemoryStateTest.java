package dev.apistep.lambda.state;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;

/** Contract §6 on the default store: every feature, within one instance. */
@QuarkusTest
@TestProfile(StateProfiles.Memory.class)
class MemoryStateTest extends SharedStateContract {

    /** The store is this instance's memory: asked through its own interface (a kept result is found, not claimed). */
    @Override
    String atRest(String scopedKey) {
        return store.claim(scopedKey, "reader", Duration.ofSeconds(1), 1_000).result();
    }
}
