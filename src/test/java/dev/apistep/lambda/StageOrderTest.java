package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pipeline's stages run in their order (read → render → check → limit → send → capture → result),
 * seen from outside: each case is an event fixture whose answer depends on which stage ran first.
 */
@QuarkusTest
class StageOrderTest {

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    private static JsonNode invoke(String fixture) {
        return LambdaEvents.invoke(LambdaEvents.fixture(fixture, Map.of("base", DemoApi.base(api))));
    }

    @Test
    void aDryRunReportsARefusedDestination() {
        JsonNode result = invoke("render-to-cloud-metadata");

        assertEquals("failure", result.get("branch").asText(), result.toString());
        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText());
        assertEquals("http://169.254.169.254/latest/meta-data/iam", result.get("request").get("url").asText(),
                "the request was rendered before its destination was checked");
        assertEquals(0, result.get("attempts").intValue());
    }

    @Test
    void aDryRunToAHostThatDoesNotResolveHereStillRendersWithAWarning() {
        JsonNode result = invoke("render-to-unresolvable-host");

        assertEquals("success", result.get("branch").asText(), result.toString());
        assertTrue(result.get("warnings").toString().contains("crm.invalid does not resolve"), result.toString());
        assertTrue(result.get("request").get("headers").toString()
                .contains("{\"name\":\"X-Api-Key\",\"value\":\"***\"}"), "the auth stage ran, masked: " + result);
    }

    @Test
    void theDestinationIsCheckedBeforeAnOAuth2TokenIsFetched() {
        api.stubFor(post(urlPathEqualTo("/token")).willReturn(okJson("{\"access_token\": \"t\", \"expires_in\": 60}")));

        JsonNode result = invoke("blocked-destination-with-oauth2");

        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText(), result.toString());
        assertEquals(0, api.findAll(anyRequestedFor(anyUrl())).size(), "no token was fetched for a refused call");
    }

    @Test
    void theAuthIsOnTheRequestBeforeTheHeaderRulesCheckIt() {
        JsonNode result = invoke("auth-header-the-transport-owns");

        assertEquals("INVALID_STEP", result.get("error").get("code").asText(), result.toString());
        assertEquals("step.request.headers.Host", result.get("error").get("reason").asText());
    }

    @Test
    void importStopsAfterReadingTheCommand() {
        JsonNode result = invoke("import-only");

        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals("POST", result.get("step").get("request").get("method").asText());
        assertEquals("bearer", result.get("step").get("auth").get("type").asText());
        assertFalse(result.has("request"), "nothing was rendered");
        assertEquals("{\"kept\":true}", result.get("variables").toString());
        assertEquals(0, api.findAll(anyRequestedFor(anyUrl())).size());
    }
}
