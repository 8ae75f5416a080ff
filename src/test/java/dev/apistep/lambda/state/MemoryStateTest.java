package dev.apistep.lambda.state;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Contract §6 on the default store: every feature, within one instance. */
@QuarkusTest
@TestProfile(StateProfiles.Memory.class)
class MemoryStateTest extends SharedStateContract {
}
