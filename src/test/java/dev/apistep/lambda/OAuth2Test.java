package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LogCapture;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OAuth2 client credentials as the token endpoint and the API see them. */
@QuarkusTest
class OAuth2Test {

    private static final String SECRET = "canary-client-secret-3e4f";

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    private String clientId;

    @BeforeEach
    void script() {
        clientId = "client-" + UUID.randomUUID();
        api.stubFor(post(urlPathEqualTo("/token")).willReturn(okJson("{\"access_token\": \"tok-1\", \"token_type\": \"Bearer\", \"expires_in\": 3600}")));
        api.stubFor(any(urlPathEqualTo("/orders")).withHeader("Authorization", equalTo("Bearer tok-1"))
                .willReturn(okJson("{\"ok\": true}")));
        api.stubFor(any(urlPathEqualTo("/orders")).atPriority(10).willReturn(aResponse().withStatus(401)));
    }

    private StepEvents step(String tokenPath, String mode) {
        return StepEvents.step("GET", DemoApi.base(api) + "/orders").mode(mode).variable("secret", SECRET)
                .stepField("auth", "{\"type\": \"oauth2\", \"tokenUrl\": \"" + DemoApi.base(api) + tokenPath + "\","
                        + " \"clientId\": \"" + clientId + "\", \"clientSecret\": \"{secret}\", \"scope\": \"orders:read\","
                        + " \"audience\": \"https://api.example\"}");
    }

    private static List<LoggedRequest> requests(String path) {
        return api.findAll(anyRequestedFor(urlPathEqualTo(path)));
    }

    @Test
    void fetchesATokenAndCallsTheApiWithIt() {
        JsonNode result;
        List<String> log;
        try (LogCapture capture = LogCapture.start()) {
            result = step("/token", "test").invoke();
            log = capture.lines();
        }
        assertEquals("success", result.get("branch").asText(), result.toString());
        api.verify(postRequestedFor(urlPathEqualTo("/token"))
                .withRequestBody(equalTo("grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + SECRET
                        + "&scope=orders%3Aread&audience=https%3A%2F%2Fapi.example")));
        assertEquals("Bearer tok-1", requests("/orders").get(0).getHeader("Authorization"));
        assertTrue(result.get("request").toString().contains("\"Authorization\",\"value\":\"***\""));
        String withoutVariables = result.toString().replace(result.get("variables").toString(), "");
        assertFalse(withoutVariables.contains(SECRET) || withoutVariables.contains("tok-1"), withoutVariables);
        log.forEach(line -> assertFalse(line.contains(SECRET) || line.contains("tok-1"), line));
    }

    @Test
    void keepsTheTokenAcrossWarmInvocations() {
        step("/token", "run").invoke();
        step("/token", "run").invoke();
        assertEquals(1, requests("/token").size());
        assertEquals(2, requests("/orders").size());
    }

    @Test
    void renewsACachedTokenOnceWhenTheApiRefusesIt() {
        step("/token", "run").invoke();
        api.resetRequests();
        api.stubFor(post(urlPathEqualTo("/token")).willReturn(okJson("{\"access_token\": \"tok-2\", \"expires_in\": 3600}")));
        api.stubFor(any(urlPathEqualTo("/orders")).withHeader("Authorization", equalTo("Bearer tok-2"))
                .willReturn(okJson("{\"ok\": true}")));
        api.stubFor(any(urlPathEqualTo("/orders")).withHeader("Authorization", equalTo("Bearer tok-1"))
                .willReturn(aResponse().withStatus(401)));
        JsonNode result = step("/token", "run").invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals(2, result.get("attempts").intValue());
        assertEquals(1, requests("/token").size());
        assertEquals(List.of("Bearer tok-1", "Bearer tok-2"),
                requests("/orders").stream().map(request -> request.getHeader("Authorization")).toList());
    }

    @Test
    void aFreshTokenThatIsRefusedIsNotRenewed() {
        api.stubFor(post(urlPathEqualTo("/token-refused")).willReturn(okJson("{\"access_token\": \"bad\"}")));
        JsonNode result = step("/token-refused", "run").invoke();
        assertEquals(401, result.get("status").intValue());
        assertEquals(1, requests("/token-refused").size());
        assertEquals(1, requests("/orders").size());
    }

    @Test
    void aFailingTokenEndpointIsAnAuthFailureAndTheApiIsNotCalled() {
        api.stubFor(post(urlPathEqualTo("/token-down")).willReturn(aResponse().withStatus(401).withBody("{\"error\": \"invalid_client\"}")));
        api.stubFor(post(urlPathEqualTo("/token-empty")).willReturn(okJson("{\"token_type\": \"Bearer\"}")));
        for (String path : List.of("/token-down", "/token-empty")) {
            JsonNode result = step(path, "run").invoke();
            assertEquals("failure", result.get("branch").asText());
            assertEquals("AUTH_FAILURE", result.get("error").get("code").asText(), result.toString());
            assertFalse(result.get("error").get("message").asText().contains("invalid_client"));
        }
        assertEquals(0, requests("/orders").size());
    }

    @Test
    void theTokenEndpointObeysTheDestinationRules() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/orders")
                .stepField("auth", "{\"type\": \"oauth2\", \"tokenUrl\": \"http://169.254.169.254/token\","
                        + " \"clientId\": \"c\", \"clientSecret\": \"s\"}").invoke();
        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText(), result.toString());
        assertEquals(0, requests("/orders").size());
    }

    @Test
    void renderModeFetchesNoToken() {
        JsonNode result = step("/token", "render").invoke();
        assertEquals(0, api.findAll(anyRequestedFor(urlPathEqualTo("/token"))).size());
        assertTrue(result.get("warnings").toString().contains("fetched only when the step runs"));
    }
}
