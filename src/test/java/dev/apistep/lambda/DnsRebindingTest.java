package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A name that resolves to a public address when the destination is checked and to a private one when
 * the client connects (DNS rebinding). In tests the two resolvers read different hosts files
 * ({@code src/test/resources/hosts}): {@code rebind.test} is 93.184.216.34 for the check and 127.0.0.2,
 * where a canary server listens, for the client.
 */
@QuarkusTest
class DnsRebindingTest {

    @RegisterExtension
    static final WireMockExtension canary = WireMockExtension.newInstance()
            .options(options().bindAddress("127.0.0.2").dynamicPort()).build();
    @RegisterExtension
    static final WireMockExtension probe = DemoApi.server();

    @BeforeEach
    void answerEverything() {
        canary.stubFor(any(anyUrl()).willReturn(okJson("{\"reached\": true}")));
        probe.stubFor(any(anyUrl()).willReturn(okJson("{\"resolver\": \"client\"}")));
    }

    /**
     * The client resolves {@code client-resolver-probe.test} (known only to its hosts file, and allowed by
     * name so the check does not resolve it): proof that the two resolvers really are separate, so that
     * the rebinding step below can only ever be sent to 127.0.0.2, never to the public address.
     */
    private static void requireSeparateResolvers() {
        JsonNode result = StepEvents.step("GET", "http://client-resolver-probe.test:" + probe.getPort() + "/probe").invoke();
        assertEquals("success", result.get("branch").asText(), "the client must use its own resolver: " + result);
    }

    @Test
    void theCanaryIsReachableSoTheRefusalBelowMeansSomething() throws Exception {
        HttpResponse<String> direct = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + canary.getPort() + "/direct")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, direct.statusCode());
    }

    @Test
    void aNameThatRebindsToAPrivateAddressNeverReachesIt() {
        requireSeparateResolvers();
        JsonNode result = StepEvents.step("GET", "http://rebind.test:" + canary.getPort() + "/secret").invoke();
        assertEquals("failure", result.get("branch").asText(), result.toString());
        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText(), result.toString());
        assertEquals("the destination rebind.test is not allowed", result.get("error").get("message").asText());
        assertFalse(result.toString().contains("127.0.0.2"));
        assertEquals(0, canary.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void aRedirectToANameThatRebindsIsRefused() {
        requireSeparateResolvers();
        probe.stubFor(any(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/hop"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(302)
                        .withHeader("Location", "http://rebind.test:" + canary.getPort() + "/secret")));
        JsonNode result = StepEvents.step("GET", DemoApi.base(probe) + "/hop").invoke();
        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText(), result.toString());
        assertEquals(0, canary.findAll(anyRequestedFor(anyUrl())).size());
    }
}
