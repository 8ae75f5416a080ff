package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SmokeTest {
    static WireMockServer api;

    @BeforeAll
    static void start() { api = DemoApi.start(); }

    @AfterAll
    static void stop() { api.stop(); }

    @Test
    void getCapturesStatus() {
        api.stubFor(get(urlPathEqualTo("/orders/A-17")).willReturn(okJson("{\"order\":{\"status\":\"shipped\",\"total\":12.50}}")));
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/orders/{order_id}")
                .variable("order_id", "A-17")
                .capture("[{\"variable\":\"s\",\"path\":\"response.order.status\"},{\"variable\":\"t\",\"path\":\"order.total\"}]")
                .invoke();
        System.out.println(result.toPrettyString());
        assertEquals("success", result.get("branch").asText());
    }
}
