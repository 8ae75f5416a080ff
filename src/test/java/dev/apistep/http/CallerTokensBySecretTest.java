package dev.apistep.http;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.ParametersSecretsExtension;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * API_STEP_CALLERS as a reference to a secret (read through the Parameters and Secrets extension, on loopback here):
 * its tokens admit callers, and no step can read that secret, in any spelling, to send the table somewhere.
 */
@QuarkusTest
@TestProfile(CallerTokensBySecretTest.ByReference.class)
class CallerTokensBySecretTest extends FunctionOverHttp {

    private static final String TOKEN = "by-reference-token-4d2a";

    public static class ByReference implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("api-step.anonymous-callers", "false", "api-step.callers", "{secret:api-step/callers}",
                    "api-step.secrets.extension-url", ParametersSecretsExtension.url());
        }
    }

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void script() {
        api.stubFor(get(urlPathEqualTo("/ok")).willReturn(okJson("{}")));
    }

    @Test
    void aTokenOfTheReferencedTableIsAdmittedAndOthersAreNot() {
        String event = StepEvents.step("GET", DemoApi.base(api) + "/ok").json().toString();
        given().contentType("application/json").header("Authorization", "Bearer " + TOKEN).body(event)
                .when().post(root).then().statusCode(200);
        given().contentType("application/json").header("Authorization", "Bearer not-in-the-table").body(event)
                .when().post(root).then().statusCode(401);
        api.verify(1, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"api-step/callers", "API-STEP/CALLERS", "api_step_callers", "api.step.callers"})
    void noStepCanReadTheCallerTokenTable(String name) {
        String event = StepEvents.step("GET", DemoApi.base(api) + "/ok").header("X-Table", "{secret:" + name + "}")
                .json().toString();
        JsonNode result = LambdaEvents.read(given().contentType("application/json").header("Authorization", "Bearer " + TOKEN)
                .body(event).when().post(root).then().statusCode(200).extract().asString());
        assertEquals("UNRESOLVED_VARIABLE", result.at("/error/code").asText(), result.toString());
        assertFalse(result.toString().contains(TOKEN), result.toString());
        api.verify(0, anyRequestedFor(anyUrl()));
    }
}
