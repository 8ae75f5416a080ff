package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.core.StepFailure;
import dev.apistep.destination.DestinationPolicy;
import dev.apistep.destination.PrimingExemption;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SnapStart priming runs whole steps through the real pipeline against its own loopback endpoints, through an
 * exemption that only it can open and that ends with it. The endpoints are on 127.0.0.2: the test profile allows
 * 127.0.0.1, so only the exemption lets the priming steps through.
 */
@QuarkusTest
class SnapStartPrimingTest {

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @Inject
    SnapStartPriming priming;

    @Inject
    DestinationPolicy destinations;

    private static InetAddress primingAddress() throws Exception {
        return InetAddress.getByName("127.0.0.2");
    }

    @Test
    void primingRunsWholeStepsOverHttpAndHttps() throws Exception {
        SnapStartPriming.Primed primed = priming.prime(primingAddress(), 3);
        assertEquals(7, primed.steps());
        assertEquals(primed.steps(), primed.succeeded(), "every priming step takes the success branch with its captures");
    }

    @Test
    void afterPrimingTheGuardRefusesItsEndpoints() throws Exception {
        SnapStartPriming.Primed primed = priming.prime(primingAddress(), 1);
        for (int port : new int[] {primed.httpPort(), primed.httpsPort()}) {
            StepFailure refused = assertThrows(StepFailure.class,
                    () -> destinations.check(URI.create("http://127.0.0.2:" + port + "/orders")));
            assertEquals("BLOCKED_DESTINATION", refused.error().code().name());
            assertFalse(destinations.allowsConnection(new InetSocketAddress(primingAddress(), port)));
        }
        JsonNode result = StepEvents.step("GET", "http://127.0.0.2:" + primed.httpPort() + "/orders").invoke();
        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText());
    }

    @Test
    void theExemptionCannotBeMadeOutsidePriming() throws Exception {
        InetSocketAddress endpoint = new InetSocketAddress(primingAddress(), 8443);
        assertThrows(SecurityException.class, () -> PrimingExemption.open(destinations, endpoint));
        assertThrows(StepFailure.class, () -> destinations.check(URI.create("http://127.0.0.2:8443/")));
        assertFalse(destinations.allowsConnection(endpoint));
    }

    @Test
    void stepsRunAfterARestoreRenewsTheClients() {
        api.stubFor(get(urlPathEqualTo("/after-restore")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\": true}")));
        assertEquals("success", StepEvents.step("GET", DemoApi.base(api) + "/after-restore").invoke().get("branch").asText());
        priming.afterRestore(null);
        assertEquals("success", StepEvents.step("GET", DemoApi.base(api) + "/after-restore").invoke().get("branch").asText());
    }
}
