package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.OperatorSettingsProfile;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-tenant and per-destination allowances, counted per step that sends, before anything is sent. */
@QuarkusTest
@TestProfile(OperatorSettingsProfile.class)
class RateLimitTest {

    @RegisterExtension
    static final WireMockExtension shared = DemoApi.server();
    @RegisterExtension
    static final WireMockExtension other = DemoApi.server();

    @BeforeEach
    void answerEverything() {
        shared.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        other.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    }

    private static JsonNode call(WireMockExtension server, String tenant) {
        StepEvents step = StepEvents.step("GET", DemoApi.base(server) + "/x");
        step.json().putObject("context").put("tenantId", tenant);
        return step.invoke();
    }

    @Test
    void aTenantPastItsAllowanceIsRateLimitedWhileOthersAreNot() {
        for (int i = 0; i < OperatorSettingsProfile.PER_TENANT; i++) {
            assertEquals("success", call(other, "chatty").get("branch").asText());
        }
        JsonNode limited = call(other, "chatty");
        assertEquals("RATE_LIMITED", limited.get("error").get("code").asText(), limited.toString());
        assertEquals("failure", limited.get("branch").asText());
        assertEquals(0, limited.get("attempts").intValue(), "nothing was sent");
        assertEquals(OperatorSettingsProfile.PER_TENANT, other.findAll(anyRequestedFor(anyUrl())).size(), "nothing sent past the limit");
        assertEquals("success", call(other, "quiet").get("branch").asText());
    }

    @Test
    void aDestinationPastItsAllowanceIsRateLimitedWhoeverCalls() {
        for (int i = 0; i < OperatorSettingsProfile.PER_DESTINATION; i++) {
            assertEquals("success", call(shared, "tenant-" + i).get("branch").asText());
        }
        JsonNode limited = call(shared, "tenant-new");
        assertEquals("RATE_LIMITED", limited.get("error").get("code").asText(), limited.toString());
        assertEquals(OperatorSettingsProfile.PER_DESTINATION, shared.findAll(anyRequestedFor(anyUrl())).size());
    }
}
