package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LogCapture;
import dev.apistep.support.StepEvents;
import dev.apistep.support.TestPki;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Canary secrets in every place a step can hold one, on the success, failure, timeout and TLS-failure
 * paths and in every mode: neither the result nor the log may ever show them.
 */
@QuarkusTest
class SecretsTest {

    private static final String TOKEN = "canary-token-7f3a";
    private static final String PASSWORD = "canary-password-91b2";
    private static final String API_KEY = "canary-apikey-c4d5";
    private static final String COOKIE = "canary-cookie-e6f7";
    private static final String QUERY_SECRET = "canary-query-0a1b";
    private static final String KEY_PASSWORD = "canary-keypass-2c3d";
    private static final List<String> CANARIES = List.of(TOKEN, PASSWORD, API_KEY, COOKIE, QUERY_SECRET, KEY_PASSWORD);
    private static final TestPki.Identity CLIENT = TestPki.client(TestPki.authority("CN=Secrets CA"), "secrets", "EC");

    @RegisterExtension
    static final WireMockExtension api = DemoApi.serverWithTls();

    @BeforeEach
    void script() {
        api.stubFor(any(urlPathEqualTo("/ok")).willReturn(okJson("{\"echo\": \"fine\"}")));
        api.stubFor(any(urlPathEqualTo("/fail")).willReturn(aResponse().withStatus(500).withBody("{\"error\": \"boom\"}")));
        api.stubFor(any(urlPathEqualTo("/slow")).willReturn(okJson("{}").withFixedDelay(10_000)));
        api.stubFor(any(anyUrl()).atPriority(10).willReturn(okJson("{}")));
    }

    /**
     * Only the slow path needs a short limit; the others get room for a cold first step under load (loading
     * the encrypted client key and the first mTLS handshake once took longer than 1.5 s and failed the step).
     */
    private static StepEvents stepWithEverySecret(String url, String mode, String auth, int timeoutMs) {
        StepEvents step = StepEvents.step("POST", url + "?access_token=" + QUERY_SECRET + "&page=1")
                .mode(mode)
                .header("Cookie", "sid=" + COOKIE)
                .header("X-Api-Key", API_KEY)
                .request("body", "{\"type\": \"form\", \"fields\": {\"password\": \"" + PASSWORD + "\", \"user\": \"ada\"}}")
                .options("{\"timeoutMs\": " + timeoutMs + "}")
                .stepField("auth", auth);
        step.json().with("step").putObject("tls")
                .put("clientCertificate", CLIENT.certificatePem())
                .put("clientKey", CLIENT.encryptedPkcs8Pem(KEY_PASSWORD))
                .put("clientKeyPassword", KEY_PASSWORD);
        return step;
    }

    @ParameterizedTest(name = "{0} in {1} mode, {2} auth")
    @CsvSource(textBlock = """
            ok,   run,    bearer
            ok,   test,   bearer
            ok,   render, bearer
            fail, run,    basic
            fail, test,   basic
            slow, run,    bearer
            slow, test,   apiKey
            tls,  run,    bearer
            tls,  test,   basic
            """)
    void noSecretReachesTheResultOrTheLog(String path, String mode, String authType) {
        String url = path.equals("tls") ? "https://localhost:" + api.getHttpsPort() + "/ok" : DemoApi.base(api) + "/" + path;
        String auth = switch (authType) {
            case "basic" -> "{\"type\": \"basic\", \"username\": \"ada\", \"password\": \"" + PASSWORD + "\"}";
            case "apiKey" -> "{\"type\": \"apiKey\", \"in\": \"query\", \"name\": \"key\", \"value\": \"" + API_KEY + "\"}";
            default -> "{\"type\": \"bearer\", \"token\": \"" + TOKEN + "\"}";
        };
        JsonNode result;
        List<String> log;
        try (LogCapture capture = LogCapture.start()) {
            result = stepWithEverySecret(url, mode, auth, path.equals("slow") ? 1500 : 30_000).invoke();
            log = capture.lines();
        }
        String expected = switch (path) {
            case "ok" -> "success";
            default -> "failure";
        };
        assertEquals(expected, result.get("branch").asText(), result.toString());
        assertFalse(log.isEmpty(), "the step was logged");
        for (String canary : CANARIES) {
            assertFalse(result.toString().contains(canary), canary + " in the result: " + result);
            log.forEach(line -> assertFalse(line.contains(canary), canary + " in the log: " + line));
        }
        assertFalse(result.toString().contains("BEGIN PRIVATE KEY"));
        if (!mode.equals("run")) {
            assertTrue(result.get("request").toString().contains("***"), result.get("request").toString());
        }
    }
}
