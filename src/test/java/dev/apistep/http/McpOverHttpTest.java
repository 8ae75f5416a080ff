package dev.apistep.http;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.ParametersSecretsExtension;
import dev.apistep.support.StepEvents;
import dev.apistep.support.ToolCatalogueProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MCP server (contract §8) driven by a client nobody here wrote, the official TypeScript SDK
 * ({@code src/test/resources/mcp-client.mjs}; {@code .ci/test-servers} installs the SDK): it negotiates the protocol
 * over Streamable HTTP, lists the catalogue and calls its tools against a loopback API, as the token's tenant. Raw HTTP
 * checks the access rules: a token from API_STEP_MCP_TOKENS (here by secret reference) or 401, a caller's token from
 * API_STEP_CALLERS neither opening /mcp nor closing it, no browser Origin (403), and no step may read the token table's
 * secret.
 */
@QuarkusTest
@TestProfile(McpOverHttpTest.McpTokens.class)
class McpOverHttpTest extends FunctionOverHttp {

    static final String ACME = "mcp-acme-token-5e1f";
    static final String NORTH = "mcp-north-token-7a2c";
    static final String SOUTH = "mcp-south-token-9b3d";
    private static final String TABLE_SECRET = "api-step/mcp-tokens";
    private static final String PLATFORM_CALLER = "platform-caller-token-3c8e";
    private static final WireMockServer API = ToolCatalogueProfile.api();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * The catalogue, MCP tokens by reference to a secret, recent runs (to see which tenant a call ran as), and a
     * platform caller's token for {@code POST /}.
     */
    public static class McpTokens extends ToolCatalogueProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("api-step.mcp-tokens", "{secret:" + TABLE_SECRET + "}");
            overrides.put("api-step.secrets.extension-url", ParametersSecretsExtension.url());
            overrides.put("api-step.history.enabled", "true");
            // As deployed: POST / admits callers by their own tokens, which neither open /mcp nor stand in its way.
            overrides.put("api-step.anonymous-callers", "false");
            overrides.put("api-step.callers", "{\"" + PLATFORM_CALLER + "\": \"*\"}");
            return overrides;
        }
    }

    @BeforeEach
    void orders() {
        ToolCatalogueProfile.resetOrders();
    }

    static String mcpUrl(URL root) {
        return root.toString().replaceAll("/$", "") + "/mcp";
    }

    /**
     * Numbers pass as written both ways: a JavaScript client cannot send them so (JSON.parse makes doubles), so this
     * speaks the protocol itself.
     */
    @Test
    void numbersReachTheApiAndTheClientAsWritten() throws IOException {
        API.stubFor(post(urlPathEqualTo("/orders/A-17/notes")).willReturn(okJson("{\"id\": 1.10}")));
        String session = initialize(root, "Bearer " + ACME, null).header("Mcp-Session-Id");
        assertEquals(202, message(session, "{'jsonrpc': '2.0', 'method': 'notifications/initialized'}").statusCode());
        Response call = message(session, "{'jsonrpc': '2.0', 'id': 2, 'method': 'tools/call', 'params': {'name':"
                + " 'add_order_note', 'arguments': {'order_id': 'A-17', 'note': 'n', 'agent_id': 'a',"
                + " 'priority': 123456789012345678901234567890}}}");
        assertEquals(200, call.statusCode(), call.asString());
        String answer = sseDataText(call.asString());
        assertTrue(answer.contains("\"structuredContent\":{\"note_id\":1.10}"), answer);
        assertTrue(API.findAll(anyRequestedFor(anyUrl())).get(0).getBodyAsString()
                .contains("123456789012345678901234567890"), "the argument as sent");
    }

    @Test
    void aModelSideClientListsTheCatalogueAndCallsItsTools() throws Exception {
        List<JsonNode> lines = client(ACME, "[{'name': 'get_order_status', 'arguments': {'order_id': 'A-17'}},"
                + " {'name': 'add_order_note', 'arguments': {'order_id': 'A-17', 'note': 'Leave it at the door', 'agent_id': 'ag-7'}},"
                + " {'name': 'get_order_status', 'arguments': {'order_id': 'A-500'}},"
                + " {'name': 'get_order_status', 'arguments': {'orderId': 'A-17'}}]");
        assertEquals(List.of("initialized", "tools", "call", "call", "call", "call"),
                lines.stream().map(line -> line.path("event").asText()).toList(), lines.toString());

        String protocol = lines.get(0).path("protocolVersion").asText();
        assertTrue(protocol.compareTo("2025-06-18") >= 0, "negotiated " + protocol);

        Map<String, JsonNode> tools = new HashMap<>();
        lines.get(1).path("tools").forEach(tool -> tools.put(tool.path("name").asText(), tool));
        assertEquals(Set.of("get_order_status", "add_order_note", "slow_lookup"), tools.keySet());
        JsonNode status = tools.get("get_order_status");
        assertEquals("Look up an order's shipping status by its order number.", status.path("description").asText());
        assertEquals("^A-[0-9]{1,8}$", status.at("/inputSchema/properties/order_id/pattern").asText(), status.toString());
        assertEquals(List.of("order_id"), MAPPER.convertValue(status.at("/inputSchema/required"), List.class));
        assertEquals(new TreeSet<>(Set.of("order_status", "eta", "http_status")),
                new TreeSet<>(MAPPER.convertValue(status.at("/outputSchema/properties"), Map.class).keySet()));
        assertTrue(tools.get("add_order_note").at("/inputSchema/properties").has("note"), tools.toString());

        JsonNode shipped = lines.get(2).path("result");
        assertFalse(shipped.path("isError").asBoolean(), shipped.toString());
        assertEquals("Order A-17 is shipped.", shipped.at("/content/0/text").asText());
        assertEquals("text", shipped.at("/content/0/type").asText());
        assertEquals("shipped", shipped.at("/structuredContent/order_status").asText());
        assertEquals("2026-12-09", shipped.at("/structuredContent/eta").asText());
        assertEquals(200, shipped.at("/structuredContent/http_status").asInt());

        JsonNode note = lines.get(3).path("result");
        assertFalse(note.path("isError").asBoolean(), note.toString());
        assertEquals(981, note.at("/structuredContent/note_id").asInt(), note.toString());

        JsonNode failed = lines.get(4).path("result");
        assertTrue(failed.path("isError").asBoolean(), failed.toString());
        assertEquals("Error HTTP_STATUS: the API answered with status 500.", failed.at("/content/0/text").asText());
        assertFalse(failed.toString().contains("10.0.0.7"), "nothing of the server's words");

        JsonNode refused = lines.get(5).path("result");
        assertTrue(refused.path("isError").asBoolean(), refused.toString());
        assertTrue(refused.at("/content/0/text").asText().startsWith("Error INVALID_ARGUMENTS: "), refused.toString());

        List<LoggedRequest> sent = API.findAll(anyRequestedFor(anyUrl()));
        assertEquals(List.of("GET /orders/A-17", "POST /orders/A-17/notes?lang=en", "GET /orders/A-500"),
                sent.stream().map(request -> request.getMethod() + " " + request.getUrl()).toList(),
                "the call with bad arguments sent nothing");
        assertEquals("Bearer " + ToolCatalogueProfile.ORDER_API_TOKEN, sent.get(0).getHeader("Authorization"));
        assertEquals("unknown-agent", sent.get(0).getHeader("X-Agent"), "the catalogue's default");
        JsonNode noteBody = MAPPER.readTree(sent.get(1).getBodyAsString());
        assertEquals("Leave it at the door", noteBody.path("note").asText(), noteBody.toString());
        assertEquals("ag-7", noteBody.path("by").asText(), noteBody.toString());
    }

    /** Two tenants' clients at once: each call runs as its own token's tenant, as their recent runs show. */
    @Test
    void eachCallRunsAsItsTokensTenantWhileAnotherTenantsCallsRun() throws Exception {
        API.stubFor(get(urlPathMatching("/orders/A-[0-9]+")).atPriority(10)
                .willReturn(okJson("{\"status\": \"packed\"}").withFixedDelay(50)));
        CompletableFuture<List<JsonNode>> north = CompletableFuture.supplyAsync(() -> clientUnchecked(NORTH, calls(1000)));
        CompletableFuture<List<JsonNode>> south = CompletableFuture.supplyAsync(() -> clientUnchecked(SOUTH, calls(2000)));
        for (List<JsonNode> lines : List.of(north.get(90, TimeUnit.SECONDS), south.get(90, TimeUnit.SECONDS))) {
            List<JsonNode> calls = lines.stream().filter(line -> line.path("event").asText().equals("call")).toList();
            assertEquals(8, calls.size(), lines.toString());
            calls.forEach(call -> assertEquals("Order " + call.at("/arguments/order_id").asText() + " is packed.",
                    call.at("/result/content/0/text").asText(), call.toString()));
        }
        assertEquals(orderIds(1000), ordersInRecentRuns("north"));
        assertEquals(orderIds(2000), ordersInRecentRuns("south"));
    }

    private static String calls(int first) {
        ArrayNode plan = JsonNodeFactory.instance.arrayNode();
        for (String id : orderIds(first)) {
            plan.addObject().put("name", "get_order_status").putObject("arguments").put("order_id", id);
        }
        return plan.toString();
    }

    private static Set<String> orderIds(int first) {
        Set<String> ids = new TreeSet<>();
        for (int i = 1; i <= 8; i++) {
            ids.add("A-" + (first + i));
        }
        return ids;
    }

    /** The order ids in the URLs of {@code tenant}'s recent runs of the catalogue's get-order-status step. */
    private Set<String> ordersInRecentRuns(String tenant) {
        String event = "{\"mode\": \"history\", \"step\": {\"id\": \"get-order-status\"}, \"context\": {\"tenantId\": \""
                + tenant + "\"}}";
        JsonNode result = LambdaEvents.read(given().contentType("application/json").header("Authorization",
                "Bearer " + PLATFORM_CALLER).body(event).when().post(root).then().statusCode(200).extract().asString());
        Set<String> ids = new TreeSet<>();
        result.path("runs").forEach(run -> ids.add(run.at("/request/url").asText().replaceAll(".*/orders/", "")));
        assertFalse(ids.isEmpty(), result.toString());
        return ids;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "Bearer", "Bearer wrong-token", "Bearer " + ACME + "x", "Basic " + ACME, ACME})
    void aRequestWithoutAKnownTokenIs401(String authorization) {
        Response response = initialize(root, authorization.isEmpty() ? null : authorization, null);
        assertEquals(401, response.statusCode(), response.asString());
        assertEquals("Bearer", response.header("WWW-Authenticate"));
        assertEquals(McpAccess.REFUSED_BODY, response.asString());
    }

    @Test
    void aCallerTokenIsNotAnMcpToken() {
        assertEquals(401, initialize(root, "Bearer " + PLATFORM_CALLER, null).statusCode());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://evil.example", "http://localhost", "null"})
    void aBrowserOriginIsRefusedWithAValidTokenToo(String origin) {
        Response response = initialize(root, "Bearer " + ACME, origin);
        assertEquals(403, response.statusCode(), response.asString());
        assertEquals(McpAccess.ORIGIN_BODY, response.asString());
    }

    @Test
    void aKnownTokenNegotiatesTheProtocol() throws IOException {
        Response response = initialize(root, "Bearer " + ACME, null);
        assertEquals(200, response.statusCode(), response.asString());
        JsonNode result = sseData(response.asString());
        String protocol = result.at("/result/protocolVersion").asText();
        assertTrue(protocol.compareTo("2025-06-18") >= 0, result.toString());
        assertTrue(result.at("/result/capabilities").has("tools"), result.toString());
        assertTrue(response.header("Mcp-Session-Id") != null && !response.header("Mcp-Session-Id").isBlank());
    }

    /** Only Streamable HTTP: the extension's SSE transport (an event stream, read here only up to its status) is off. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/mcp/sse", "/mcp/messages/x"})
    void theLegacySseEndpointsAreNotServed(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path))
                .header("Authorization", "Bearer " + ACME).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        assertEquals(404, response.statusCode());
    }

    @Test
    void noStepCanReadTheMcpTokenTable() {
        String event = StepEvents.step("GET", ToolCatalogueProfile.base() + "/orders/A-17")
                .header("X-Table", "{secret:" + TABLE_SECRET + "}").json().toString();
        JsonNode result = LambdaEvents.read(given().contentType("application/json").header("Authorization",
                "Bearer " + PLATFORM_CALLER).body(event).when().post(root).then().statusCode(200).extract().asString());
        assertEquals("UNRESOLVED_VARIABLE", result.at("/error/code").asText(), result.toString());
        assertFalse(result.toString().contains(ACME), result.toString());
        API.verify(0, anyRequestedFor(anyUrl()));
    }

    /** An {@code initialize} request to the function at {@code root}, with either header when not null. */
    static Response initialize(URL root, String authorization, String origin) {
        var request = given().contentType("application/json").accept("application/json, text/event-stream")
                .body("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": {\"protocolVersion\":"
                        + " \"2025-06-18\", \"capabilities\": {}, \"clientInfo\": {\"name\": \"raw\", \"version\": \"1\"}}}");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return request.when().post(mcpUrl(root));
    }

    /** A message in {@code session} (JSON, quotes as '). */
    private Response message(String session, String json) {
        return given().contentType("application/json").accept("application/json, text/event-stream")
                .header("Authorization", "Bearer " + ACME).header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", "2025-06-18").body(json.replace('\'', '"')).when().post(mcpUrl(root));
    }

    /** The JSON-RPC message of a response, sent as JSON or as one SSE {@code data:} event. */
    private static JsonNode sseData(String body) throws IOException {
        return MAPPER.readTree(sseDataText(body));
    }

    private static String sseDataText(String body) {
        return body.lines().filter(line -> line.startsWith("data:")).map(line -> line.substring(5).trim())
                .findFirst().orElse(body);
    }

    private List<JsonNode> clientUnchecked(String token, String plan) {
        try {
            return client(token, plan);
        } catch (IOException | InterruptedException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the SDK client with {@code token} and the calls of {@code plan} (JSON, quotes as '), one line per step. */
    private List<JsonNode> client(String token, String plan) throws IOException, InterruptedException, URISyntaxException {
        Path home = clientHome();
        Path sdk = home.resolve("node_modules/@modelcontextprotocol/sdk");
        if (!Files.isDirectory(sdk)) {
            throw new IllegalStateException("@modelcontextprotocol/sdk is not installed in " + home + ": run `mkdir -p " + home
                    + " && cd " + home + " && npm install @modelcontextprotocol/sdk@1.32` (.ci/test-servers does)");
        }
        Path script = Path.of(McpOverHttpTest.class.getResource("/mcp-client.mjs").toURI());
        Path errors = Files.createTempFile("mcp-client", ".log");
        ProcessBuilder builder = new ProcessBuilder("node", script.toString(), mcpUrl(root), plan.replace('\'', '"'))
                .redirectError(errors.toFile());
        builder.environment().put("MCP_CLIENT_HOME", home.toString());
        builder.environment().put("MCP_TOKEN", token);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the client did not finish");
        assertEquals(0, process.exitValue(), out + Files.readString(errors));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.lines().filter(line -> !line.isBlank()).collect(Collectors.toList())) {
            lines.add(MAPPER.readTree(line));
        }
        return lines;
    }

    private static Path clientHome() {
        String configured = System.getProperty("mcp.client.home", System.getenv("MCP_CLIENT_HOME"));
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "api-step-tools", "mcp-client");
    }
}
