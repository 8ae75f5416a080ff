package dev.apistep.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.core.LosslessJson;
import dev.apistep.read.StepEventParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The catalogue as read at start (contract §8): a credential is taken only by reference wherever the step carries one,
 * a credential's variable never has a default, and no credential is a parameter a model is asked for.
 */
class ToolCatalogueTest {

    private static final ObjectMapper JSON = LosslessJson.newMapper();

    private static ToolCatalogue load(Path directory, String step, String variables) throws IOException {
        Files.writeString(directory.resolve("entry.json"), ("{'step': " + step + ", 'variables': " + variables + "}")
                .replace('\'', '"'));
        return ToolCatalogue.load(directory, JSON, new StepEventParser());
    }

    private static String step(String request, String auth) {
        return "{'request': " + request + (auth == null ? "" : ", 'auth': " + auth)
                + ", 'tool': {'name': 't', 'description': 'd'}}";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'url': 'https://api.example.com/o/{id}', 'headers': [{'name': 'Authorization', 'value': 'Bearer sk_live_1'}]} | step.request.headers.Authorization",
        "{'url': 'https://api.example.com/o/{id}', 'headers': {'X-Api-Key': 'sk_live_2'}} | step.request.headers.X-Api-Key",
        "{'url': 'https://api.example.com/o/{id}', 'query': [{'name': 'access_token', 'value': 'sk_live_3'}]} | step.request.query.access_token",
        "{'url': 'https://api.example.com/o/{id}?api_key=sk_live_4'} | step.request.url (query api_key)",
        "{'url': 'https://admin:sk_live_5@api.example.com/o/{id}'} | step.request.url (user info)",
        "{'curl': 'curl -u admin:sk_live_6 https://api.example.com/o/{id}'} | step.auth.password",
        "{'curl': 'curl -H \\'X-Api-Key: sk_live_7\\' https://api.example.com/o/{id}'} | step.request.headers.X-Api-Key"})
    void aLiteralCredentialStopsTheStart(String request, String field, @TempDir Path directory) {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> load(directory, step(request, null), "{}"));
        assertTrue(refused.getMessage().startsWith("API_STEP_CATALOG: entry.json: " + field + " must be a reference"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains("sk_live"), refused.getMessage());
    }

    @Test
    void aCredentialsVariableMayHaveNoDefault(@TempDir Path directory) {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> load(directory,
                step("{'url': 'https://api.example.com/o/{id}'}", "{'type': 'bearer', 'token': '{api_token}'}"),
                "{'api_token': 'sk_live_default'}"));
        assertTrue(refused.getMessage().contains("step.auth.token uses the variable api_token"), refused.getMessage());
        assertFalse(refused.getMessage().contains("sk_live"), refused.getMessage());
    }

    @Test
    void aModelIsNeverAskedForACredential(@TempDir Path directory) throws IOException {
        ToolCatalogue catalogue = load(directory, step("{'url': 'https://{{host_never}}x.example.com/o/{id}?api_key={key}&author={author}',"
                + " 'headers': {'Authorization': 'Token {header_token}', 'X-Trace': '{trace}'}}",
                "{'type': 'bearer', 'token': '{api_token}'}").replace("{{host_never}}", ""), "{'trace': 't-1'}");
        JsonNode schema = catalogue.find("t").definition(Set.of()).inputSchema();
        assertEquals("[\"id\",\"author\",\"trace\"]", JSON.valueToTree(schema.get("properties").properties().stream()
                .map(java.util.Map.Entry::getKey).toList()).toString(), schema.toString());
        assertEquals("[\"id\",\"author\"]", schema.get("required").toString());
    }

    @Test
    void aCredentialFromACurlCommandIsNoParameterEither(@TempDir Path directory) throws IOException {
        ToolCatalogue catalogue = load(directory, step("{'curl': 'curl -u {user}:{password} -H \\'X-Api-Key: {key}\\'"
                + " https://api.example.com/o/{id}'}", null), "{}");
        assertEquals("[\"user\",\"id\"]", catalogue.find("t").definition(Set.of()).inputSchema().get("required").toString());
    }

    @Test
    void referencesAreTaken(@TempDir Path directory) throws IOException {
        ToolCatalogue catalogue = load(directory, step("{'url': 'https://api.example.com/o/{id}?api_key={secret:orders-key}',"
                + " 'headers': {'Authorization': 'Bearer {secret:orders-token}'}}", "{'type': 'basic', 'username': 'svc',"
                + " 'password': '{secret:orders-password}'}"), "{}");
        assertEquals("t", catalogue.find("t").tool().name());
    }

    @Test
    void unreadableJsonIsNamedWithoutItsText(@TempDir Path directory) throws IOException {
        Files.writeString(directory.resolve("broken.json"), "{\"step\": sk_live_unquoted}");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ToolCatalogue.load(directory, JSON, new StepEventParser()));
        assertEquals("API_STEP_CATALOG: broken.json: is not readable JSON at line 1, column 10", refused.getMessage());
    }
}
