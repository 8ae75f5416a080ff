package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LogCapture;
import dev.apistep.support.OperatorSettingsProfile;
import dev.apistep.support.ParametersSecretsExtension;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code {secret:NAME}} resolved by the function: from {@code API_STEP_SECRET_*} environment variables and
 * through the Parameters and Secrets extension (served on loopback by the tests), bound to hosts, masked.
 * The tests' environment: {@code API_STEP_SECRET_CRM_TOKEN}, plus {@code AWS_SECRET_ACCESS_KEY}, which must
 * stay out of reach. {@code crm-token} is bound to 127.0.0.1.
 */
@QuarkusTest
@TestProfile(OperatorSettingsProfile.class)
class SecretsByReferenceTest {

    private static final String ENV_SECRET = "env-secret-4a5b";

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();
    @RegisterExtension
    static final WireMockExtension elsewhere = DemoApi.server();

    @BeforeEach
    void script() {
        api.stubFor(any(anyUrl()).atPriority(10).willReturn(okJson("{\"echo\": \"ok\"}")));
        api.stubFor(any(urlPathEqualTo("/hop")).willReturn(aResponse().withStatus(307)
                .withHeader("Location", "http://localhost:" + elsewhere.getPort() + "/landed")));
        elsewhere.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    }

    private static LoggedRequest only(WireMockExtension server) {
        List<LoggedRequest> requests = server.findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, requests.size());
        return requests.get(0);
    }

    @Test
    void anEnvironmentSecretIsSentAndShownNowhere() {
        JsonNode result;
        List<String> log;
        try (LogCapture capture = LogCapture.start()) {
            result = StepEvents.step("POST", DemoApi.base(api) + "/crm?key={secret:crm-token}").mode("test")
                    .header("X-Crm", "token {secret:crm-token}")
                    .request("body", "{\"type\": \"json\", \"content\": {\"auth\": \"{secret:crm-token}\"}}").invoke();
            log = capture.lines();
        }
        assertEquals("success", result.get("branch").asText(), result.toString());
        LoggedRequest sent = only(api);
        assertEquals("token " + ENV_SECRET, sent.getHeader("X-Crm"));
        assertEquals(ENV_SECRET, sent.queryParameter("key").firstValue());
        assertEquals(ENV_SECRET, LambdaEvents.read(sent.getBodyAsString()).get("auth").textValue());
        assertFalse(result.toString().contains(ENV_SECRET), result.toString());
        assertTrue(result.get("request").get("body").asText().contains("***"));
        log.forEach(line -> assertFalse(line.contains(ENV_SECRET), line));
    }

    @Test
    void secretsManagerAndParameterStoreSecretsComeThroughTheExtensionAndAreCached() {
        for (int i = 0; i < 2; i++) {
            JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/both")
                    .header("X-Sm", "{secret:crm/api-key}").header("X-Ssm", "{secret:ssm:/bot/token}").invoke();
            assertEquals("success", result.get("branch").asText(), result.toString());
        }
        List<LoggedRequest> requests = api.findAll(anyRequestedFor(anyUrl()));
        assertEquals(2, requests.size());
        requests.forEach(request -> {
            assertEquals("sm-secret-8c9d", request.getHeader("X-Sm"));
            assertEquals("ssm-secret-5e6f", request.getHeader("X-Ssm"));
        });
        assertEquals(1, ParametersSecretsExtension.lookups().stream().filter("sm:crm/api-key"::equals).count(), "cached");
        assertEquals(1, ParametersSecretsExtension.lookups().stream().filter("ssm:/bot/token"::equals).count(), "cached");
    }

    @Test
    void theFunctionsOwnEnvironmentIsOutOfReach() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/steal").header("X-Key", "{secret:AWS_SECRET_ACCESS_KEY}").invoke();
        assertEquals("UNRESOLVED_VARIABLE", result.get("error").get("code").asText(), result.toString());
        assertFalse(result.toString().contains("function-own-key-never-sent"));
        assertEquals(0, api.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void anUnknownSecretFailsTheStepAndIsNeverSentAsWritten() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/x").header("X-Key", "{secret:nope}").invoke();
        assertEquals("UNRESOLVED_VARIABLE", result.get("error").get("code").asText());
        assertEquals(0, api.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void aBoundSecretIsNotSentToAnotherHost() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/x").header("X-Key", "{secret:bound-elsewhere}").invoke();
        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText(), result.toString());
        assertEquals("secret 'bound-elsewhere' may not be sent to 127.0.0.1", result.get("error").get("message").asText());
        assertEquals(0, api.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void aBoundSecretDoesNotFollowARedirectToAnotherHost() {
        JsonNode result = StepEvents.step("POST", DemoApi.base(api) + "/hop").header("X-Crm", "{secret:crm-token}").invoke();
        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText(), result.toString());
        assertEquals(1, api.findAll(anyRequestedFor(anyUrl())).size(), "the bound host got it");
        assertEquals(0, elsewhere.findAll(anyRequestedFor(anyUrl())).size(), "the other host did not");
    }

    @Test
    void aBoundSecretInAFileUrlGoesOnlyToItsHostAndIsMasked() {
        elsewhere.stubFor(any(urlPathEqualTo("/file")).willReturn(aResponse().withStatus(200).withBody("bytes")));
        String body = "{\"type\": \"binary\", \"url\": \"http://localhost:" + elsewhere.getPort() + "/file?k={secret:crm-token}\"}";
        JsonNode refused = StepEvents.step("PUT", DemoApi.base(api) + "/up").request("body", body).invoke();
        assertEquals("BLOCKED_DESTINATION", refused.get("error").get("code").asText(), refused.toString());
        assertEquals(0, elsewhere.findAll(anyRequestedFor(anyUrl())).size(), "the unbound file host got nothing");
        assertEquals(0, api.findAll(anyRequestedFor(anyUrl())).size());

        String bound = "{\"type\": \"binary\", \"url\": \"" + DemoApi.base(api) + "/file?k={secret:crm-token}\"}";
        JsonNode sent = StepEvents.step("PUT", "http://localhost:" + elsewhere.getPort() + "/up").mode("test")
                .request("body", bound).invoke();
        assertEquals("success", sent.get("branch").asText(), "the step's own host never sees the file URL's secret: " + sent);
        assertEquals(1, api.findAll(anyRequestedFor(anyUrl())).size(), "the bound host served the file");
        assertEquals("<bytes from " + DemoApi.base(api) + "/file?k=***>", sent.get("request").get("body").asText());
    }
}
