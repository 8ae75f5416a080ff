package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The branch taken, the error and the captured variables, as the bot runtime reads them. */
@QuarkusTest
class BranchAndCaptureTest {

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void scriptTheApi() {
        api.stubFor(get(urlPathEqualTo("/order")).willReturn(okJson("""
                {"order": {"status": "shipped", "items": [{"sku": "SKU-1"}], "id": 123456789012345678901234567890,
                 "amount": 19.990, "zip": "00123", "note": null}}""").withHeader("X-Request-Id", "req-7")));
        api.stubFor(get(urlPathEqualTo("/missing")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\": {\"reason\": \"no such order\"}}")));
        api.stubFor(get(urlPathEqualTo("/down")).willReturn(aResponse().withStatus(503).withBody("busy")));
        api.stubFor(get(urlPathEqualTo("/empty")).willReturn(aResponse().withStatus(204)));
        api.stubFor(get(urlPathEqualTo("/text")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody("hello")));
    }

    @Test
    void capturesEveryPathFormIntoVariablesAndChanges() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/order")
                .variables("{\"keep\": 1, \"first_item\": \"old\", \"note\": \"before\"}")
                .capture("""
                        [{"variable": "status_text", "path": "response.order.status"},
                         {"variable": "short", "path": "order.status"},
                         {"variable": "first_item", "path": "$.order.items[0].sku"},
                         {"variable": "http_status", "path": "status"},
                         {"variable": "request_id", "path": "headers.x-request-id"},
                         {"variable": "big", "path": "order.id"},
                         {"variable": "amount", "path": "order.amount"},
                         {"variable": "zip", "path": "order.zip"},
                         {"variable": "whole", "path": "response"},
                         {"variable": "note", "path": "order.note"},
                         {"variable": "absent", "path": "order.nothing.deeper"},
                         {"variable": "fallback", "path": "order.items[3].sku", "default": "none"}]""")
                .invoke();
        assertEquals("success", result.get("branch").asText());
        JsonNode variables = result.get("variables");
        assertEquals("shipped", variables.get("status_text").textValue());
        assertEquals("shipped", variables.get("short").textValue());
        assertEquals("SKU-1", variables.get("first_item").textValue());
        assertEquals(200, variables.get("http_status").intValue());
        assertEquals("req-7", variables.get("request_id").textValue());
        assertEquals("123456789012345678901234567890", variables.get("big").bigIntegerValue().toString());
        assertEquals("19.990", variables.get("amount").decimalValue().toPlainString());
        assertTrue(variables.get("zip").isTextual());
        assertEquals("shipped", variables.get("whole").get("order").get("status").textValue());
        assertTrue(variables.get("note").isNull());
        assertEquals(1, variables.get("keep").intValue());
        assertFalse(variables.has("absent"));
        assertEquals("none", variables.get("fallback").textValue());
        assertFalse(result.get("changes").has("keep"));
        assertEquals(11, result.get("changes").size());
        assertEquals(2, result.get("warnings").size(), result.get("warnings").toString());
        assertTrue(result.get("error").isNull());
        assertEquals(1, result.get("attempts").intValue());
    }

    /** UTF-8 bodies are parsed from their bytes; a body in another charset is decoded by the charset it names. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"UTF-8, application/json", "ISO-8859-1, application/json; charset=ISO-8859-1",
            "UTF-16BE, application/json; charset=UTF-16BE"})
    void capturesJsonInTheCharsetTheResponseNames(String charset, String contentType) {
        api.stubFor(get(urlPathEqualTo("/city")).willReturn(aResponse().withHeader("Content-Type", contentType)
                .withBody("  {\"city\": \"São Paulo\", \"ok\": true}".getBytes(java.nio.charset.Charset.forName(charset)))));
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/city")
                .capture("[{\"variable\": \"city\", \"path\": \"city\"}, {\"variable\": \"ok\", \"path\": \"$.ok\"}]")
                .invoke();
        assertEquals("São Paulo", result.get("changes").get("city").textValue(), result.toString());
        assertEquals(true, result.get("changes").get("ok").booleanValue());
    }

    @Test
    void anErrorStatusTakesTheFailureBranchAndStillCaptures() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/missing")
                .capture("[{\"variable\": \"why\", \"path\": \"error.reason\"}]")
                .stepField("tags", "{\"success\": [\"ok\"], \"failure\": [\"crm_down\"]}")
                .invoke();
        assertEquals("failure", result.get("branch").asText());
        assertEquals(404, result.get("status").intValue());
        assertEquals("HTTP_STATUS", result.get("error").get("code").asText());
        assertFalse(result.get("error").get("retryable").booleanValue());
        assertEquals("no such order", result.get("variables").get("why").textValue());
        assertEquals("[\"crm_down\"]", result.get("tags").toString());
    }

    @Test
    void successStatusesCanIncludeAnErrorStatus() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/missing")
                .options("{\"successStatuses\": [\"2xx\", 404]}")
                .stepField("tags", "{\"success\": [\"ok\"], \"failure\": [\"crm_down\"]}")
                .invoke();
        assertEquals("success", result.get("branch").asText());
        assertTrue(result.get("error").isNull());
        assertEquals("[\"ok\"]", result.get("tags").toString());
    }

    @ParameterizedTest(name = "onError {0}")
    @CsvSource(textBlock = """
            failure,  failure
            continue, success
            stop,     stop
            """)
    void onErrorChoosesTheBranchOfAnError(String onError, String branch) {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/down")
                .options("{\"onError\": \"" + onError + "\"}").invoke();
        assertEquals(branch, result.get("branch").asText());
        assertEquals("HTTP_STATUS", result.get("error").get("code").asText());
        assertTrue(result.get("error").get("retryable").booleanValue(), "503 is worth retrying");
        assertEquals(503, result.get("status").intValue());
    }

    @Test
    void anEmptySuccessBodySkipsBodyCapturesWithAWarning() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/empty")
                .capture("[{\"variable\": \"x\", \"path\": \"order.status\"}, {\"variable\": \"s\", \"path\": \"status\"}]")
                .invoke();
        assertEquals("success", result.get("branch").asText());
        assertEquals("{\"s\":204}", result.get("changes").toString());
        assertTrue(result.get("warnings").get(0).asText().contains("empty"));
    }

    @Test
    void aTextBodyIsKeptAsText() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/text")
                .capture("[{\"variable\": \"raw\", \"path\": \"body\"}, {\"variable\": \"j\", \"path\": \"response.a\"}]")
                .invoke();
        assertEquals("hello", result.get("variables").get("raw").textValue());
        assertFalse(result.get("variables").has("j"));
        assertEquals("success", result.get("branch").asText());
    }

    @Test
    void variablesOfAnyJsonTypeComeBackUnchanged() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/text")
                .variables("{\"n\": 1.10, \"b\": 98765432109876543210987654321, \"o\": {\"a\": [null, true]}, \"s\": \"007\"}")
                .invoke();
        assertEquals("{\"n\":1.10,\"b\":98765432109876543210987654321,\"o\":{\"a\":[null,true]},\"s\":\"007\"}",
                result.get("variables").toString());
    }
}
