package dev.apistep.lambda.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.core.StoreUnavailableException;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Contract §6 on a real dynalite, then a frozen store: limits fail open, a keyed event fails closed. */
@QuarkusTest
@TestProfile(StateProfiles.DynamoDb.class)
class DynamoDbStateTest extends SharedStateContract {

    @Test
    void aFrozenStoreLetsStepsRunButRefusesKeyedEvents() throws Exception {
        String tenant = fresh("acme");
        JsonNode plain;
        JsonNode keyedResult;
        StateProfiles.DynaliteResource.server.pause();
        try {
            plain = post(tenant).invoke();
            StepEvents keyed = post(tenant);
            keyed.json().put("idempotencyKey", fresh("key"));
            keyedResult = keyed.invoke();
        } finally {
            StateProfiles.DynaliteResource.server.resume();
        }
        assertEquals("success", plain.get("branch").asText(), plain.toString());
        assertTrue(plain.get("warnings").toString().contains(StoreUnavailableException.warning("the rate limits")),
                plain.toString());
        assertEquals("IN_PROGRESS", keyedResult.get("error").get("code").asText(), keyedResult.toString());
        assertEquals(1, sent());
    }
}
