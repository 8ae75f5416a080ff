package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What goes over the wire for each method, body type and header form, as the server records it. */
@QuarkusTest
class RequestBuildingTest {

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void answerEverything() {
        api.stubFor(any(anyUrl()).willReturn(ok("{}").withHeader("Content-Type", "application/json")));
    }

    private static LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = api.findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, requests.size());
        return requests.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "Patch"})
    void sendsEveryMethod(String method) {
        JsonNode result = StepEvents.step(method, DemoApi.base(api) + "/things/1").invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals(method.toUpperCase(), onlyRequest().getMethod().getName());
    }

    @Test
    void sendsTheContractExampleEventAsDocumented() {
        JsonNode result = LambdaEvents.invoke(LambdaEvents.fixture("contract-example", Map.of("base", DemoApi.base(api))));
        assertEquals("success", result.get("branch").asText(), result.toString());
        LoggedRequest sent = onlyRequest();
        assertEquals("POST", sent.getMethod().getName());
        assertEquals("/orders/A-17/notes?lang=en&q=S%C3%A3o%20Paulo", sent.getUrl());
        assertEquals("c-9", sent.getHeader("X-Trace"));
        assertEquals("Bearer t0k3n", sent.getHeader("Authorization"));
        JsonNode body = LambdaEvents.read(sent.getBodyAsString());
        assertEquals("He said \"hi\"\nthen left", body.get("note").textValue());
        assertEquals(3, body.get("count").intValue());
        assertTrue(sent.getHeader("Content-Type").startsWith("application/json"));
        assertEquals(List.of("crm_updated"), LambdaEvents.JSON.convertValue(result.get("tags"), List.class));
    }

    @Test
    void jsonBodyGoesOutExactlyAsRendered() {
        StepEvents.step("POST", DemoApi.base(api) + "/j")
                .variable("big", new java.math.BigDecimal("12345678901234567890.50"))
                .request("body", "{\"type\": \"json\", \"content\": \"{\\\"big\\\": {big}, \\\"s\\\": \\\"x\\\"}\"}")
                .invoke();
        LoggedRequest sent = onlyRequest();
        assertEquals("{\"big\": 12345678901234567890.50, \"s\": \"x\"}", sent.getBodyAsString());
        assertEquals("application/json", sent.getHeader("Content-Type"));
    }

    @Test
    void formBodyIsUrlEncodedInFieldOrder() {
        StepEvents.step("POST", DemoApi.base(api) + "/f")
                .variable("who", "a&b=c d")
                .request("body", "{\"type\": \"form\", \"fields\": [{\"name\": \"z\", \"value\": \"{who}\"},"
                        + " {\"name\": \"a\", \"value\": \"é\"}, {\"name\": \"z\", \"value\": \"2\"}, {\"name\": \"\", \"value\": \"x\"}]}")
                .invoke();
        LoggedRequest sent = onlyRequest();
        assertEquals("z=a%26b%3Dc+d&a=%C3%A9&z=2", sent.getBodyAsString());
        assertTrue(sent.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"));
    }

    @Test
    void multipartBodyCarriesEachField() {
        StepEvents.step("POST", DemoApi.base(api) + "/m")
                .variable("note", "line1\nline2 \"q\"")
                .request("body", "{\"type\": \"multipart\", \"fields\": {\"note\": \"{note}\", \"n\": \"7\"}}")
                .invoke();
        LoggedRequest sent = onlyRequest();
        assertTrue(sent.getHeader("Content-Type").startsWith("multipart/form-data; boundary="), sent.getHeader("Content-Type"));
        api.verify(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo("/m"))
                .withRequestBodyPart(aMultipart("note").withBody(equalTo("line1\nline2 \"q\"")).build())
                .withRequestBodyPart(aMultipart("n").withBody(equalTo("7")).build()));
    }

    @Test
    void textBodyIsSentAsIsWithItsContentType() {
        StepEvents.step("PUT", DemoApi.base(api) + "/t")
                .variable("x", "{\"a\":1} & <b>")
                .request("body", "{\"type\": \"text\", \"content\": \"value: {x}\", \"contentType\": \"text/csv\"}")
                .invoke();
        LoggedRequest sent = onlyRequest();
        assertEquals("value: {\"a\":1} & <b>", sent.getBodyAsString());
        assertEquals("text/csv", sent.getHeader("Content-Type"));
    }

    @Test
    void aGetMayCarryABody() {
        StepEvents.step("GET", DemoApi.base(api) + "/search")
                .request("body", "{\"type\": \"json\", \"content\": {\"query\": {\"match\": \"x\"}}}")
                .invoke();
        LoggedRequest sent = onlyRequest();
        assertEquals("GET", sent.getMethod().getName());
        assertEquals("{\"query\":{\"match\":\"x\"}}", sent.getBodyAsString());
    }

    @Test
    void theStepsContentTypeHeaderWins() {
        StepEvents.step("POST", DemoApi.base(api) + "/ct")
                .header("content-type", "application/vnd.api+json")
                .request("body", "{\"type\": \"json\", \"content\": {\"a\": 1}}")
                .invoke();
        assertEquals("application/vnd.api+json", onlyRequest().getHeader("Content-Type"));
    }

    @Test
    void headersKeepOrderAndDuplicatesAndDropEmptyNames() {
        StepEvents.step("GET", DemoApi.base(api) + "/h")
                .variable("empty", "")
                .header("X-Multi", "one").header("X-Multi", "two").header("{empty}", "dropped").header("X-Empty-Value", "")
                .invoke();
        LoggedRequest sent = onlyRequest();
        HttpHeader multi = sent.getHeaders().getHeader("X-Multi");
        assertEquals(List.of("one", "two"), multi.values());
        assertTrue(sent.getHeaders().all().stream().noneMatch(h -> h.values().contains("dropped")));
    }

    @Test
    void headersGivenAsAnObjectAreSent() {
        StepEvents.step("GET", DemoApi.base(api) + "/h").request("headers", "{\"X-A\": \"1\", \"X-B\": [\"2\", \"3\"]}").invoke();
        LoggedRequest sent = onlyRequest();
        assertEquals("1", sent.getHeader("X-A"));
        assertEquals(List.of("2", "3"), sent.getHeaders().getHeader("X-B").values());
    }

    @Test
    void sendsTheProductUserAgentUnlessTheStepSetsOne() {
        StepEvents.step("GET", DemoApi.base(api) + "/ua").invoke();
        assertTrue(onlyRequest().getHeader("User-Agent").startsWith("api-step/"), onlyRequest().getHeader("User-Agent"));
        api.resetRequests();
        StepEvents.step("GET", DemoApi.base(api) + "/ua").header("user-agent", "MyBot/2.0").invoke();
        HttpHeader agent = onlyRequest().getHeaders().getHeader("User-Agent");
        assertEquals(List.of("MyBot/2.0"), agent.values());
    }

    @Test
    void aLongHeaderValueGoesThroughWhole() {
        String jwt = "eyJ" + "a".repeat(2048) + ".sig";
        StepEvents.step("GET", DemoApi.base(api) + "/jwt").variable("jwt", jwt).header("X-Token", "{jwt}").invoke();
        assertEquals(jwt, onlyRequest().getHeader("X-Token"));
    }

    @Test
    void aBasicAuthorizationTypedInClearIsEncodedForTheAuthor() {
        StepEvents.step("GET", DemoApi.base(api) + "/typed").variable("pw", "s3cret")
                .header("Authorization", "Basic ada:{pw}").invoke();
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("ada:s3cret".getBytes()),
                onlyRequest().getHeader("Authorization"));
        api.resetRequests();
        StepEvents.step("GET", DemoApi.base(api) + "/typed").header("Authorization", "Basic YWRhOnMzY3JldA==").invoke();
        assertEquals("Basic YWRhOnMzY3JldA==", onlyRequest().getHeader("Authorization"), "already encoded: untouched");
    }

    @Test
    void basicAndApiKeyAuthAreAppliedAsTheServerExpects() {
        StepEvents.step("GET", DemoApi.base(api) + "/basic").variable("pw", "p:ss é")
                .stepField("auth", "{\"type\": \"basic\", \"username\": \"ada\", \"password\": \"{pw}\"}").invoke();
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("ada:p:ss é".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                onlyRequest().getHeader("Authorization"));
        api.resetRequests();
        StepEvents.step("GET", DemoApi.base(api) + "/key?x=1").variable("k", "s3cr&t")
                .stepField("auth", "{\"type\": \"apiKey\", \"in\": \"query\", \"name\": \"api_key\", \"value\": \"{k}\"}").invoke();
        assertEquals("/key?x=1&api_key=s3cr%26t", onlyRequest().getUrl());
        api.resetRequests();
        StepEvents.step("GET", DemoApi.base(api) + "/key")
                .stepField("auth", "{\"type\": \"apiKey\", \"in\": \"header\", \"name\": \"X-Api-Key\", \"value\": \"k1\"}").invoke();
        assertEquals("k1", onlyRequest().getHeader("X-Api-Key"));
    }
}
