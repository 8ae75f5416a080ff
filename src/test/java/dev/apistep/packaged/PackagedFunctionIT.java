package dev.apistep.packaged;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.core.LosslessJson;
import dev.apistep.support.DemoApi;
import dev.apistep.support.DemoServer;
import dev.apistep.support.HostileServer;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LocalRuntimeApi;
import dev.apistep.support.PackagedFunction;
import dev.apistep.support.StepEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged artifact as AWS runs it: the runner jar under AWS's runtime interface client, fed by a
 * Runtime API on loopback, calling servers on loopback (allowed by {@code API_STEP_ALLOWED_DESTINATIONS}).
 */
class PackagedFunctionIT {

    private static final int SLOW_SERVER_DELAY_MS = 20_000;
    /**
     * Less heap than a 256 MB Lambda function gets: a hostile body that were held whole (hundreds of MB)
     * would end in an OutOfMemoryError here instead of RESPONSE_TOO_LARGE.
     */
    private static final String TIGHT_HEAP = "-Xmx128m";
    /** A caller token bound to tenant acme (API_STEP_CALLERS), for requests through a Function URL with auth NONE. */
    private static final String ACME_TOKEN = "packaged-acme-7c1d";
    @RegisterExtension
    static final WireMockExtension slow = DemoApi.server();
    private static DemoServer demo;
    private static LocalRuntimeApi runtime;
    private static PackagedFunction function;

    @BeforeAll
    static void start() throws Exception {
        demo = new DemoServer();
        runtime = new LocalRuntimeApi();
        List<String> tightHeap = new ArrayList<>(PackagedFunction.LAMBDA_JVM_OPTIONS);
        tightHeap.add(TIGHT_HEAP);
        function = PackagedFunction.start(runtime.address(), "127.0.0.1", tightHeap,
                Path.of("target", "packaged-function.log"), Map.of("API_STEP_CALLERS", "{\"" + ACME_TOKEN + "\": \"acme\"}"));
    }

    @AfterAll
    static void stop() throws Exception {
        function.close();
        runtime.close();
        demo.close();
    }

    @BeforeEach
    void scriptTheServer() {
        slow.stubFor(get(urlPathEqualTo("/slow")).willReturn(okJson("{}").withFixedDelay(SLOW_SERVER_DELAY_MS)));
        slow.stubFor(get(urlPathEqualTo("/fast")).willReturn(aResponse().withStatus(200).withBody("{\"ok\": true}")));
    }

    private static JsonNode invoke(String event, long invocationTimeoutMs) throws Exception {
        return LambdaEvents.read(runtime.invokeAndWait(event, invocationTimeoutMs));
    }

    @Test
    void runsTheDemoStepEndToEnd() throws Exception {
        JsonNode result = invoke(LambdaEvents.fixture("demo", Map.of("base", demo.base())).toString(), 30_000);
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals("noted", result.get("changes").get("order_status").textValue());
        assertEquals("He said \"hi\"\nthen left", result.get("changes").get("echoed_note").textValue());
        assertEquals(201, result.get("changes").get("http_status").intValue());
        assertEquals("[\"note_added\"]", result.get("tags").toString());
        assertTrue(Files.readAllLines(Path.of("target", "packaged-function.log")).stream()
                .filter(line -> line.startsWith("{"))
                .map(LambdaEvents::read)
                .anyMatch(line -> line.path("stepId").asText().equals("add-order-note")
                        && line.path("requestId").asText().matches("[0-9a-f-]{36}")),
                "the step's log line is a bare JSON object carrying the Lambda request id");
    }

    @Test
    void aSampledInvocationsTraceHeaderGoesOutWithTheStep() throws Exception {
        String sampled = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        String traced = StepEvents.step("GET", DemoApi.base(slow) + "/fast?traced=yes").json().toString();
        assertEquals("success", LambdaEvents.read(runtime.invoke(traced, 30_000, sampled).get()).get("branch").asText());
        slow.verify(getRequestedFor(urlPathEqualTo("/fast")).withQueryParam("traced", equalTo("yes"))
                .withHeader("X-Amzn-Trace-Id", equalTo(sampled)));

        String untraced = StepEvents.step("GET", DemoApi.base(slow) + "/fast?traced=no").json().toString();
        assertEquals("success", LambdaEvents.read(runtime.invoke(untraced, 30_000).get()).get("branch").asText());
        slow.verify(getRequestedFor(urlPathEqualTo("/fast")).withQueryParam("traced", equalTo("no"))
                .withoutHeader("X-Amzn-Trace-Id"));
    }

    /**
     * Contract §11 on a Function URL: with auth NONE (no authorizer in the request context) a request needs a caller
     * token, 401 otherwise; a tenant-bound token naming another tenant is 403; with AWS_IAM, AWS has checked the caller.
     */
    @Test
    void answersAFunctionUrlRequestWithTheResultAsItsBodyOnlyForAnAdmittedCaller() throws Exception {
        String step = LambdaEvents.fixture("demo", Map.of("base", demo.base())).toString();
        assertEquals(401, functionUrl(step, null, false).get("statusCode").intValue());
        assertEquals(401, functionUrl(step, "Bearer wrong-token", false).get("statusCode").intValue());
        JsonNode admitted = functionUrl(step, "Bearer " + ACME_TOKEN, false);
        assertEquals(200, admitted.get("statusCode").intValue(), admitted.toString());
        assertEquals("success", LambdaEvents.read(admitted.get("body").asText()).get("branch").asText());
        JsonNode iam = functionUrl(step, null, true);
        assertEquals(200, iam.get("statusCode").intValue(), iam.toString());
        var otherTenant = LambdaEvents.read(step);
        ((com.fasterxml.jackson.databind.node.ObjectNode) otherTenant).putObject("context").put("tenantId", "globex");
        assertEquals(403, functionUrl(otherTenant.toString(), "Bearer " + ACME_TOKEN, false).get("statusCode").intValue());
    }

    private static JsonNode functionUrl(String step, String authorization, boolean iam) throws Exception {
        var request = LambdaEvents.JSON.createObjectNode().put("version", "2.0").put("routeKey", "$default")
                .put("rawPath", "/").put("isBase64Encoded", false).put("body", step);
        var context = request.putObject("requestContext");
        context.putObject("http").put("method", "POST");
        if (iam) {
            context.putObject("authorizer").putObject("iam").put("accessKey", "AKIAEXAMPLE").put("userArn", "arn:aws:iam::1:user/bot");
        }
        if (authorization != null) {
            request.putObject("headers").put("authorization", authorization);
        }
        return invoke(request.toString(), 30_000);
    }

    @Test
    void answersAnEventThatIsNotJsonWithAResultAndItsLogLine() throws Exception {
        long linesBefore = unreadableEventLines();
        JsonNode result = invoke("{not json", 30_000);
        assertEquals("failure", result.get("branch").asText());
        assertEquals("INVALID_EVENT", result.get("error").get("code").asText());
        long waitUntil = System.currentTimeMillis() + 5_000;
        while (unreadableEventLines() == linesBefore && System.currentTimeMillis() < waitUntil) {
            Thread.sleep(50);
        }
        assertEquals(linesBefore + 1, unreadableEventLines(), "an unreadable event writes its step line like any other");
    }

    /** Step lines of events that could not be read: no mode, INVALID_EVENT, the invocation's request id. */
    private static long unreadableEventLines() throws IOException {
        return Files.readAllLines(Path.of("target", "packaged-function.log")).stream()
                .filter(line -> line.startsWith("{"))
                .map(LambdaEvents::read)
                .filter(line -> line.path("errorCode").asText().equals("INVALID_EVENT") && line.path("mode").isNull()
                        && line.path("requestId").asText().matches("[0-9a-f-]{36}"))
                .count();
    }

    /**
     * Past the JSON limits (or with text after the event), the handler's own check answers, before Funqy would fail
     * the invocation, with a message naming the limit and quoting nothing of the event (issue 23, class 9).
     */
    @Test
    void answersAnEventPastTheJsonLimitsWithAResultNamingTheLimit() throws Exception {
        String deep = "{\"variables\": " + "[".repeat(LosslessJson.MAX_NESTING_DEPTH + 10)
                + "]".repeat(LosslessJson.MAX_NESTING_DEPTH + 10) + "}";
        String longNumber = "{\"variables\": {\"n\": " + "9".repeat(LosslessJson.MAX_NUMBER_LENGTH + 10) + "}}";
        String longString = "{\"variables\": {\"b64\": \"" + "A".repeat(LosslessJson.MAX_STRING_LENGTH + 1) + "\"}}";
        String twoValues = "{\"variables\": {}} {\"variables\": {}}";
        String notJson = "{\"variables\": {}, \"token\": s3cr3t-value}";
        Map<String, String> messages = Map.of(
                deep, "the event nests deeper than " + LosslessJson.MAX_NESTING_DEPTH + " levels",
                longNumber, "a number in the event is longer than " + LosslessJson.MAX_NUMBER_LENGTH + " characters",
                longString, "a string in the event is longer than " + LosslessJson.MAX_STRING_LENGTH + " characters",
                twoValues, "the event holds more than one JSON value",
                notJson, "the event is not valid JSON");
        for (Map.Entry<String, String> event : messages.entrySet()) {
            JsonNode result = invoke(event.getKey(), 30_000);
            assertEquals("INVALID_EVENT", result.get("error").get("code").asText(), result.at("/error").toString());
            String message = result.at("/error/message").asText();
            assertTrue(message.startsWith(event.getValue()), message);
            assertFalse(message.contains("s3cr3t") || message.contains("AAAA") || message.contains("9999"), message);
        }
    }

    /** Bytes that are not UTF-8, and escapes that name no character: each an INVALID_EVENT result, never a function error. */
    @Test
    void answersAnEventThatIsNotUtf8WithAResult() throws Exception {
        byte[][] events = {
            utf8WithIn("{\"variables\": {\"v\": \"", new byte[] {(byte) 0xC3, 0x28}, "\"}}"),
            utf8WithIn("{\"variables\": {\"v\": \"", new byte[] {(byte) 0xFF}, "\"}}"),
            utf8WithIn("{\"variables\": {\"v\": \"", new byte[] {(byte) 0xC0, (byte) 0x80}, "\"}}"),
            utf8WithIn("{\"variables\": {\"v\": \"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}}"),
            utf8WithIn("{\"variables\": {\"v\": \"", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, "\"}}"),
            utf8WithIn("{\"", new byte[] {(byte) 0xE2, (byte) 0x82}, "\": 1}"),
            utf8WithIn("", new byte[] {(byte) 0xFE, (byte) 0xFF, 0, '{', 0, '}'}, ""),
            "{\"variables\": {\"v\": \"\\uD800\"}, \"step\": {\"request\": {\"url\": \"https://h.test\"}}}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "{\"variables\": {\"\\uDC00\": 1}}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        };
        for (byte[] event : events) {
            JsonNode result = LambdaEvents.read(runtime.invoke(event, 30_000, LocalRuntimeApi.UNSAMPLED_TRACE).get(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("failure", result.get("branch").asText(), result.toString());
            assertEquals("INVALID_EVENT", result.get("error").get("code").asText(), result.toString());
        }
    }

    private static byte[] utf8WithIn(String before, byte[] raw, String after) {
        byte[] head = before.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + raw.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(raw, 0, all, head.length, raw.length);
        System.arraycopy(tail, 0, all, head.length + raw.length, tail.length);
        return all;
    }

    @Test
    void answersAMalformedStepWithAResult() throws Exception {
        JsonNode result = invoke("{\"step\": {\"request\": {\"url\": 7}}, \"variables\": {\"kept\": true}}", 30_000);
        assertEquals("INVALID_STEP", result.get("error").get("code").asText());
        assertEquals("step.request.url", result.get("error").get("reason").asText());
        assertEquals("{\"kept\":true}", result.get("variables").toString());
    }

    /** The native poll loop does not hand the invocation's deadline to the function (README, native). */
    @Test
    @DisabledIfSystemProperty(named = "native.image.path", matches = ".+")
    void theInvocationsRemainingTimeBoundsTheStep() throws Exception {
        String event = StepEvents.step("GET", DemoApi.base(slow) + "/slow").json().toString();
        JsonNode result = invoke(event, 3_000);
        assertEquals("TIMEOUT", result.get("error").get("code").asText(), result.toString());
        assertTrue(result.get("durationMs").longValue() < 3_000, "answered inside the invocation: " + result);
    }

    @Test
    void refusesCloudMetadataOutsideTheTestProfile() throws Exception {
        JsonNode result = invoke(StepEvents.step("GET", "http://169.254.169.254/latest/meta-data/").json().toString(), 30_000);
        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText());
        assertFalse(result.get("error").get("message").asText().contains("latest"));
    }

    /** A small gzip body that inflates to 300 MB, and an endless chunked body: each costs one step, not the instance. */
    @Test
    void hostileBodiesEndAtTheCapWithoutExhaustingTheHeap() throws Exception {
        byte[] bomb = HostileServer.gzipOfZeros(300L * 1024 * 1024);
        try (HostileServer gzipBomb = new HostileServer(HostileServer.encoded("gzip", bomb));
                HostileServer endless = new HostileServer(HostileServer.endlessChunks(Long.MAX_VALUE))) {
            for (HostileServer server : List.of(gzipBomb, endless)) {
                JsonNode result = invoke(StepEvents.step("GET", server.url("/body")).json().toString(), 30_000);
                assertEquals("RESPONSE_TOO_LARGE", result.get("error").get("code").asText(), result.toString());
            }
        }
        JsonNode after = invoke(StepEvents.step("GET", DemoApi.base(slow) + "/fast").json().toString(), 30_000);
        assertEquals("success", after.get("branch").asText(), "the instance still serves steps: " + after);
    }

    /** A regex filter that backtracks without end, on a capture: the step still answers within its deadline. */
    @Test
    void aCatastrophicRegexCaptureEndsWithTheStep() throws Exception {
        slow.stubFor(get(urlPathEqualTo("/names")).willReturn(okJson("[{\"a\": \"" + "a".repeat(40) + "!\"}]")));
        String event = StepEvents.step("GET", DemoApi.base(slow) + "/names").options("{\"timeoutMs\": 2000}")
                .capture("[{\"variable\": \"m\", \"path\": \"$[?(@.a =~ /((a+)+)+b/)].a\", \"default\": \"none\"}]")
                .json().toString();
        JsonNode result = invoke(event, 30_000);
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals("none", result.get("variables").get("m").asText());
        assertTrue(result.get("durationMs").longValue() < 2_000 + 1_000, "answered at its deadline: " + result);
    }

    /** Thousands of path segments in a placeholder: a result, never a stack overflow and a function error. */
    @Test
    void aPlaceholderOfThousandsOfSegmentsGetsAResult() throws Exception {
        String deep = "a" + ".b".repeat(20_000);
        JsonNode result = invoke(StepEvents.step("GET", DemoApi.base(slow) + "/fast?q={" + deep + "}")
                .options("{\"unresolvedVariables\": \"error\"}").json().toString(), 30_000);
        assertEquals("UNRESOLVED_VARIABLE", result.get("error").get("code").asText(), result.toString());
    }
}
