package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile steps end on the failure branch with a stable code, and the canary server hears nothing. */
@QuarkusTest
class EgressSafetyTest {

    @RegisterExtension
    static final WireMockExtension canary = DemoApi.server();
    @RegisterExtension
    static final WireMockExtension selfSigned = DemoApi.serverWithTls();

    @BeforeEach
    void answerEverything() {
        canary.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        selfSigned.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    }

    @AfterEach
    void nothingReachedTheCanary() {
        assertEquals(0, canary.findAll(anyRequestedFor(anyUrl())).size(), "a refused step must not connect");
    }

    private static JsonNode failing(StepEvents step, String code) {
        JsonNode result = step.invoke();
        assertEquals("failure", result.get("branch").asText(), result.toString());
        assertEquals(code, result.get("error").get("code").asText(), result.toString());
        return result;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a\r\nX-Injected: 1", "a\nb", "a\rb", "tab\u0000nul"})
    void headerValuesCannotSmuggleLines(String value) {
        JsonNode result = failing(StepEvents.step("GET", DemoApi.base(canary) + "/x").variable("v", value)
                .header("X-Note", "{v}"), "INVALID_STEP");
        assertEquals("step.request.headers.X-Note", result.get("error").get("reason").asText());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Host", "content-length", "Transfer-Encoding", "TE", "Connection", "Upgrade", "Keep-Alive",
        "Trailer", "Expect", "Proxy-Authorization", "X-aws-ec2-metadata-token", "X-aws-ec2-metadata-token-ttl-seconds",
        "Metadata", "Metadata-Flavor", "X-Aws-Parameters-Secrets-Token"})
    void headersOwnedByTheTransportOrTheCloudCannotBeSet(String name) {
        JsonNode result = failing(StepEvents.step("GET", DemoApi.base(canary) + "/x").header(name, "v"), "INVALID_STEP");
        assertEquals("step.request.headers." + name, result.get("error").get("reason").asText());
    }

    @Test
    void aHeaderNameThatIsNotATokenIsRefused() {
        failing(StepEvents.step("GET", DemoApi.base(canary) + "/x").header("X Bad:Name", "v"), "INVALID_STEP");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            http://10.0.0.1/x,                              BLOCKED_DESTINATION
            http://169.254.169.254/latest/meta-data/,       BLOCKED_DESTINATION
            http://[::1]:9/x,                               BLOCKED_DESTINATION
            http://[::ffff:169.254.169.254]/x,              BLOCKED_DESTINATION
            http://127.0.0.2:9/x,                           BLOCKED_DESTINATION
            http://192.168.0.1/x,                           BLOCKED_DESTINATION
            http://2130706433/x,                            INVALID_STEP
            http://0x7f.0.0.1/x,                            INVALID_STEP
            http://127.1/x,                                 INVALID_STEP
            gopher://example.com/x,                         BLOCKED_DESTINATION
            """)
    void refusesDestinationsThatAreNotPublic(String url, String code) {
        JsonNode result = failing(StepEvents.step("GET", url), code);
        assertFalse(result.get("error").get("message").asText().contains("169.254.169.254/latest"));
    }

    @Test
    void anUntrustedServerCertificateIsATlsFailure() {
        JsonNode result = failing(StepEvents.step("GET", "https://localhost:" + selfSigned.getHttpsPort() + "/x"), "TLS_FAILURE");
        assertEquals("UNTRUSTED", result.get("error").get("reason").asText(), result.toString());
        assertEquals(0, selfSigned.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void aClosedPortIsAConnectFailure() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        JsonNode result = failing(StepEvents.step("GET", "http://127.0.0.1:" + closed + "/x"), "CONNECT_FAILURE");
        assertEquals(true, result.get("error").get("retryable").booleanValue());
        assertEquals(1, result.get("attempts").intValue());
    }
}
