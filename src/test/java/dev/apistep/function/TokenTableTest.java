package dev.apistep.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.template.SecretStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bearer-token tables (API_STEP_CALLERS, API_STEP_MCP_TOKENS): who a token acts for, and tables refused at start. */
class TokenTableTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static TokenTable table(String text, boolean platformTokens, Map<String, String> environment) {
        return new TokenTable("API_STEP_MCP_TOKENS", Optional.of(text), platformTokens,
                new SecretStore(new SecretStore.Sources(environment::get, Optional.empty(), Duration.ofMinutes(1)), MAPPER), MAPPER);
    }

    @Test
    void aTokenNamesItsTenantAndNothingElseDoes() {
        TokenTable tokens = table("{\"token-a1\": \"acme\", \"token-b2\": \"globex\"}", false, Map.of());
        assertEquals(Optional.of("acme"), tokens.tenantOf("Bearer token-a1"));
        assertEquals(Optional.of("globex"), tokens.tenantOf("bearer token-b2"));
        for (String other : new String[] {null, "", "Bearer", "Bearer token-a", "Basic token-a1", "token-a1", "Bearer token-a1 x"}) {
            assertEquals(Optional.empty(), tokens.tenantOf(other), String.valueOf(other));
        }
    }

    @Test
    void aPlatformTokenOnlyWhereTheTableAllowsOne() {
        assertEquals(Optional.of(TokenTable.PLATFORM), table("{\"token-p\": \"*\"}", true, Map.of()).tenantOf("Bearer token-p"));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> table("{\"token-a1\": \"acme\", \"token-p9\": \"*\"}", false, Map.of()));
        assertEquals("API_STEP_MCP_TOKENS entry 2: the tenant must be a tenant id", refused.getMessage());
        assertFalse(refused.getMessage().contains("token-p9"));
    }

    @Test
    void aReferencedTableIsReadWhenNeededAndABrokenOneAdmitsNoOne() {
        Map<String, String> environment = Map.of("API_STEP_SECRET_MCP_TABLE", "{\"token-r\": \"acme\"}",
                "API_STEP_SECRET_NOT_A_TABLE", "just-a-password");
        assertEquals(Optional.of("acme"), table("{secret:mcp-table}", false, environment).tenantOf("Bearer token-r"));
        assertEquals(Optional.empty(), table("{secret:not-a-table}", false, environment).tenantOf("Bearer just-a-password"));
        assertEquals(Optional.empty(), table("{secret:missing}", false, environment).tenantOf("Bearer token-r"));
    }

    @Test
    void aTableGivenAsIsThatIsNotOneStopsStartUp() {
        for (String broken : new String[] {"not json", "[]", "{}", "{\"has space\": \"acme\"}", "{\"token\": 7}"}) {
            assertThrows(IllegalStateException.class, () -> table(broken, true, Map.of()), broken);
        }
    }
}
