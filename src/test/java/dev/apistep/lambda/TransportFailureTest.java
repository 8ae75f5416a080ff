package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the wire says goes wrong, named in the contract's codes. */
@QuarkusTest
class TransportFailureTest {

    @RegisterExtension
    static final WireMockExtension selfSigned = DemoApi.serverWithTls();

    @BeforeEach
    void answerEverything() {
        selfSigned.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    }

    @Test
    void anUntrustedServerCertificateIsATlsFailure() {
        JsonNode result = StepEvents.step("GET", "https://localhost:" + selfSigned.getHttpsPort() + "/x").invoke();
        assertEquals("TLS_FAILURE", result.get("error").get("code").asText(), result.toString());
        assertEquals("UNTRUSTED", result.get("error").get("reason").asText(), result.toString());
        assertEquals(0, selfSigned.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void aClosedPortIsAConnectFailure() {
        JsonNode result = StepEvents.step("GET", "http://127.0.0.1:" + DemoApi.closedPort() + "/x").invoke();
        assertEquals("CONNECT_FAILURE", result.get("error").get("code").asText());
        assertEquals(true, result.get("error").get("retryable").booleanValue());
        assertEquals(1, result.get("attempts").intValue());
    }
}
