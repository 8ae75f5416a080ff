package dev.apistep.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.StepEvents;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract's cases, once, for every binding: each binding's test class says how an event reaches the
 * function ({@link #invoke}, {@link #invokeRaw}) and inherits these.
 */
public abstract class ContractCases {

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    /** The event as the binding delivers it; the result as the caller reads it. */
    protected abstract JsonNode invokeRaw(String event);

    protected JsonNode invoke(JsonNode event) {
        return invokeRaw(event.toString());
    }

    @BeforeEach
    void script() {
        api.stubFor(any(urlPathEqualTo("/orders/A-17/notes")).willReturn(okJson(
                "{\"order\": {\"status\": \"noted\", \"items\": [{\"sku\": \"SKU-1\"}]}}").withStatus(201)));
        api.stubFor(get(urlPathEqualTo("/missing")).willReturn(aResponse().withStatus(404).withBody("{}")));
    }

    @Test
    void theContractsExampleRunsCapturesAndKeepsEveryVariable() {
        JsonNode result = invoke(LambdaEvents.fixture("contract-example", Map.of("base", DemoApi.base(api))));
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals("noted", result.at("/changes/order_status").asText());
        assertEquals("SKU-1", result.at("/changes/first_item").asText());
        assertEquals(201, result.at("/changes/http_status").intValue());
        assertEquals("São Paulo", result.at("/variables/city").asText());
        assertEquals("[\"crm_updated\"]", result.get("tags").toString());
        api.verify(postRequestedFor(urlPathEqualTo("/orders/A-17/notes")).withHeader("Authorization", equalTo("Bearer t0k3n")));
    }

    @Test
    void anErrorStatusTakesTheFailureBranch() {
        JsonNode result = invoke(StepEvents.step("GET", DemoApi.base(api) + "/missing").json());
        assertEquals("failure", result.get("branch").asText());
        assertEquals("HTTP_STATUS", result.at("/error/code").asText());
        assertEquals(404, result.get("status").intValue());
    }

    @Test
    void aMalformedStepNamesTheField() {
        JsonNode result = invokeRaw("{\"step\": {\"request\": {\"url\": 7}}, \"variables\": {\"kept\": true}}");
        assertEquals("INVALID_STEP", result.at("/error/code").asText());
        assertEquals("step.request.url", result.at("/error/reason").asText());
        assertEquals("{\"kept\":true}", result.get("variables").toString());
    }

    @Test
    void cloudMetadataIsRefusedWithoutASound() {
        JsonNode result = invoke(StepEvents.step("GET", "http://169.254.169.254/latest/meta-data/").json());
        assertEquals("BLOCKED_DESTINATION", result.at("/error/code").asText());
        assertTrue(!result.toString().contains("latest"), result.toString());
    }

    @Test
    void renderModeSendsNothing() {
        JsonNode result = invoke(StepEvents.step("GET", DemoApi.base(api) + "/orders/{id}").variable("id", 7).mode("render").json());
        assertEquals("success", result.get("branch").asText());
        assertEquals(DemoApi.base(api) + "/orders/7", result.at("/request/url").asText());
        api.verify(0, anyRequestedFor(anyUrl()));
    }
}
