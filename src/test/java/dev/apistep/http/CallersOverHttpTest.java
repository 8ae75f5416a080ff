package dev.apistep.http;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LogCapture;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contract §11 over HTTP, with the defaults (anonymous callers off): a step runs only for a bearer token from
 * API_STEP_CALLERS; a tenant-bound token fixes the tenant, and an event or a history query naming another is 403.
 */
@QuarkusTest
@TestProfile(CallersOverHttpTest.TokensOnly.class)
class CallersOverHttpTest extends FunctionOverHttp {

    static final String ACME = "acme-token-0b8f2c";
    static final String PLATFORM = "platform-token-91d4e7";
    static final int SLOTS = 4;

    public static class TokensOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("api-step.anonymous-callers", "false",
                    "api-step.callers", "{\"" + ACME + "\": \"acme\", \"" + PLATFORM + "\": \"*\"}",
                    "api-step.history.enabled", "true", "api-step.http.max-concurrent-steps", Integer.toString(SLOTS));
        }
    }

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void script() {
        api.stubFor(get(urlPathEqualTo("/ok")).willReturn(okJson("{\"ok\": true}")));
    }

    private String step(String tenant) {
        StepEvents step = StepEvents.step("GET", DemoApi.base(api) + "/ok");
        if (tenant != null) {
            step.json().putObject("context").put("tenantId", tenant);
        }
        return step.json().toString();
    }

    private Response post(String path, String authorization, String event) {
        var request = given().contentType("application/json").body(event);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.when().post(root.toString().replaceAll("/$", "") + path);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer wrong-token", "Bearer " + ACME + "x", "Bearer acme-token",
        "Basic " + ACME, ACME, "Bearer " + ACME + " extra", "Bearer\t" + ACME, "Token " + PLATFORM})
    void aRequestWithoutAValidTokenRunsNoStep(String authorization) {
        for (String path : List.of("/", StepRoutes.FUNCTION_PATH)) {
            Response answer = post(path, authorization.isEmpty() ? null : authorization, step(null));
            assertEquals(401, answer.statusCode(), path + ": " + answer.asString());
            assertEquals("Bearer", answer.header("WWW-Authenticate"));
            assertFalse(answer.asString().contains(ACME) || answer.asString().contains(PLATFORM), answer.asString());
        }
        api.verify(0, anyRequestedFor(anyUrl()));
    }

    /**
     * Requests without a credential that send their body a byte at a time are refused on their headers: they hold no
     * slot (nor a body buffer), so a caller with a token is still served (before, they took every slot: 503).
     */
    @Test
    void stalledUploadsWithoutACredentialHoldNoSlot() throws Exception {
        List<java.net.Socket> stalled = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3 * SLOTS; i++) {
                java.net.Socket socket = new java.net.Socket("127.0.0.1", root.getPort());
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 6000000\r\n\r\n{").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                stalled.add(socket);
            }
            for (java.net.Socket socket : stalled) {
                String head = new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
                assertEquals("HTTP/1.1 401", head, "refused on its headers, before its body");
            }
            JsonNode result = LambdaEvents.read(post("/", "Bearer " + ACME, step(null)).then().statusCode(200).extract().asString());
            assertEquals("success", result.get("branch").asText(), result.toString());
        } finally {
            for (java.net.Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void aHeaderOfAHundredKibibytesRunsNoStep() {
        Response answer = post("/", "Bearer " + "x".repeat(100 * 1024), step(null));
        assertTrue(answer.statusCode() == 431 || answer.statusCode() == 401, "refused: " + answer.statusCode());
        api.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aTenantTokenRunsItsStepAsItsTenantAndIsNeverLogged() {
        List<String> lines;
        try (LogCapture capture = LogCapture.start()) {
            JsonNode result = LambdaEvents.read(post("/", "Bearer " + ACME, step(null)).then().statusCode(200).extract().asString());
            assertEquals("success", result.get("branch").asText(), result.toString());
            lines = capture.lines();
        }
        JsonNode line = stepLine(lines);
        assertEquals("acme", line.get("tenant").asText(), "the token fixes the tenant");
        assertFalse(line.has("anonymousCallers"), line.toString());
        assertTrue(lines.stream().noneMatch(text -> text.contains(ACME)), "the token reaches no log line");
    }

    @Test
    void aTenantTokenSendingAnotherTenantsEventIsForbidden() {
        for (String path : List.of("/", StepRoutes.FUNCTION_PATH)) {
            Response answer = post(path, "Bearer " + ACME, step("globex"));
            assertEquals(403, answer.statusCode(), answer.asString());
        }
        assertEquals(200, post("/", "Bearer " + ACME, step("acme")).statusCode(), "its own tenant, named, is fine");
        api.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void aTenantTokenCannotWrapItsEventInATriggersEnvelope() {
        ObjectNode sqs = LambdaEvents.JSON.createObjectNode();
        sqs.putArray("Records").addObject().put("eventSource", "aws:sqs").put("messageId", "m-1").put("body", step("globex"));
        assertEquals(403, post("/", "Bearer " + ACME, sqs.toString()).statusCode());
        api.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aPlatformTokenActsForTheEventsTenant() {
        List<String> lines;
        try (LogCapture capture = LogCapture.start()) {
            post("/", "Bearer " + PLATFORM, step("globex")).then().statusCode(200);
            lines = capture.lines();
        }
        assertEquals("globex", stepLine(lines).get("tenant").asText());
    }

    @Test
    void historyIsOnlyTheCallersOwnTenantsOrAPlatformsToRead() {
        String stepId = "history-" + UUID.randomUUID();
        ObjectNode run = (ObjectNode) LambdaEvents.read(step(null));
        run.with("step").put("id", stepId);
        post("/", "Bearer " + ACME, run.toString()).then().statusCode(200);
        String othersHistory = "{\"mode\": \"history\", \"step\": {\"id\": \"" + stepId + "\"}, \"context\": {\"tenantId\": \"globex\"}}";
        assertEquals(403, post("/", "Bearer " + ACME, othersHistory).statusCode());
        String ownHistory = "{\"mode\": \"history\", \"step\": {\"id\": \"" + stepId + "\"}}";
        JsonNode own = LambdaEvents.read(post("/", "Bearer " + ACME, ownHistory).then().statusCode(200).extract().asString());
        assertEquals(1, own.get("runs").size(), own.toString());
        String acmeHistory = "{\"mode\": \"history\", \"step\": {\"id\": \"" + stepId + "\"}, \"context\": {\"tenantId\": \"acme\"}}";
        JsonNode platform = LambdaEvents.read(post("/", "Bearer " + PLATFORM, acmeHistory).then().statusCode(200).extract().asString());
        assertEquals(1, platform.get("runs").size(), platform.toString());
        JsonNode globex = LambdaEvents.read(post("/", "Bearer " + PLATFORM, othersHistory).then().statusCode(200).extract().asString());
        assertEquals(0, globex.get("runs").size(), "acme's run is not globex's: " + globex);
    }

    @Test
    void healthOpenApiAndSchemasStayOpenAndTheFunctionsPathTakesOnlyPost() {
        given().when().get(root.toString() + "q/health/ready").then().statusCode(200);
        given().when().get(root.toString() + "openapi").then().statusCode(200);
        given().when().get(root.toString() + "apiStep?step=x").then().statusCode(405);
        api.verify(0, anyRequestedFor(anyUrl()));
    }

    private static JsonNode stepLine(List<String> lines) {
        List<JsonNode> steps = lines.stream().filter(line -> line.contains("\"_aws\"")).map(LambdaEvents::read).toList();
        assertEquals(1, steps.size(), lines.toString());
        return steps.get(0);
    }
}
