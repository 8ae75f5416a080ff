package dev.apistep.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API_STEP_ANONYMOUS_CALLERS=true (the test application's default) admits anyone at POST /, never at /mcp. */
@QuarkusTest
@TestProfile(McpAnonymousCallersTest.AnonymousCallers.class)
class McpAnonymousCallersTest extends FunctionOverHttp {

    private static final String TOKEN = "mcp-only-token-2f6a";

    public static class AnonymousCallers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("api-step.anonymous-callers", "true", "api-step.mcp-tokens", "{\"" + TOKEN + "\": \"acme\"}");
        }
    }

    @Test
    void mcpStillWantsItsOwnToken() {
        Response refused = McpOverHttpTest.initialize(root, null, null);
        assertEquals(401, refused.statusCode(), refused.asString());
        assertEquals("Bearer", refused.header("WWW-Authenticate"));
        assertEquals(200, McpOverHttpTest.initialize(root, "Bearer " + TOKEN, null).statusCode());
    }
}
