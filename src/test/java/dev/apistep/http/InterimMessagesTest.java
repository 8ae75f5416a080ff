package dev.apistep.http;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.apistep.support.ContainerToolCatalogueProfile;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.ToolCatalogueProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spoken messages over a stream (contract §8): a container caller that sends {@code Accept: application/x-ndjson}
 * gets the tool's delayed message as an interim line at {@code afterMs} while a slow API holds the call, then the
 * result line; never an interim line after the result, and without that header the plain JSON answer.
 */
@QuarkusTest
@TestProfile(ContainerToolCatalogueProfile.class)
class InterimMessagesTest extends FunctionOverHttp {

    private static final WireMockServer API = ToolCatalogueProfile.api();
    private static final long AFTER_MS = 500;
    private static final long API_DELAY_MS = 1_500;
    /** The tolerance of the interim line's timing: a behaviour check, not a benchmark. */
    private static final long TOLERANCE_MS = 250;
    private static final String SLOW_CALL = "{\"toolCall\": {\"type\": \"tool_use\", \"id\": \"toolu_7\","
            + " \"name\": \"slow_lookup\", \"input\": {\"query\": \"slow\"}}}";
    private static final String FAST_CALL = SLOW_CALL.replace("\"slow\"}", "\"fast\"}");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void backOffice() throws Exception {
        API.resetAll();
        API.stubFor(get(urlPathEqualTo("/slow/slow")).willReturn(okJson("{\"answer\": \"42\"}")
                .withFixedDelay((int) API_DELAY_MS)));
        API.stubFor(get(urlPathEqualTo("/slow/fast")).willReturn(okJson("{\"answer\": \"7\"}")));
        // The first step of an application pays its class loading; the timing below is the warm path's.
        plain(FAST_CALL);
        API.resetRequests();
    }

    /** A line of the stream and when it arrived, in ms after the request was sent. */
    private record Line(JsonNode json, long atMs) {
    }

    private record Stream(HttpResponse<InputStream> response, List<Line> lines) {
    }

    private HttpRequest.Builder request(String event) {
        return request(event, ContainerToolCatalogueProfile.PLATFORM_TOKEN);
    }

    private HttpRequest.Builder request(String event, String token) {
        return HttpRequest.newBuilder(URI.create(root.toString())).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(event));
    }

    private Stream stream(String event) throws Exception {
        HttpRequest request = request(event).header("Accept", InterimStream.MEDIA_TYPE).build();
        long sent = System.nanoTime();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(new Line(LambdaEvents.read(line), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)));
            }
        }
        return new Stream(response, lines);
    }

    private HttpResponse<String> plain(String event) throws Exception {
        return client.send(request(event).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertStreamed(Stream stream) {
        assertEquals(200, stream.response().statusCode());
        assertEquals(InterimStream.MEDIA_TYPE, stream.response().headers().firstValue("Content-Type").orElse(null));
        assertEquals("chunked", stream.response().headers().firstValue("Transfer-Encoding").orElse(null));
    }

    @Test
    void aSlowToolCallSpeaksItsDelayedMessageAtAfterMsThenAnswers() throws Exception {
        Stream stream = stream(SLOW_CALL);
        assertStreamed(stream);
        List<Line> lines = stream.lines();
        assertEquals(2, lines.size(), lines.toString());
        Line interim = lines.get(0);
        assertEquals("{\"type\":\"interim\",\"text\":\"Still looking that up.\"}", interim.json().toString());
        assertTrue(Math.abs(interim.atMs() - AFTER_MS) <= TOLERANCE_MS,
                "the interim line at " + AFTER_MS + " ± " + TOLERANCE_MS + " ms: " + interim.atMs());
        Line result = lines.get(1);
        assertEquals("result", result.json().get("type").asText(), result.toString());
        assertTrue(result.atMs() >= API_DELAY_MS, "the result once the API answered: " + result.atMs());
        JsonNode answer = result.json().get("answer");
        assertEquals("tool_result", answer.get("type").asText(), answer.toString());
        assertEquals("toolu_7", answer.get("tool_use_id").asText());
        assertEquals("The back office says: 42", answer.get("content").asText());
        API.verify(1, getRequestedFor(urlPathEqualTo("/slow/slow")));

        HttpResponse<String> unstreamed = plain(SLOW_CALL);
        assertEquals("application/json", unstreamed.headers().firstValue("Content-Type").orElse(null));
        assertEquals(answer, LambdaEvents.read(unstreamed.body()), "the result line holds the plain answer, as is");
    }

    @Test
    void aFastCallGetsOnlyItsResultLineAndNothingFollows() throws Exception {
        Stream stream = stream(FAST_CALL);
        assertStreamed(stream);
        assertEquals(1, stream.lines().size(), stream.lines().toString());
        assertEquals("The back office says: 7", stream.lines().get(0).json().at("/answer/content").asText());
        // The same connection, past afterMs: its next answer holds no stray interim line.
        Thread.sleep(AFTER_MS + TOLERANCE_MS);
        HttpResponse<String> next = plain(FAST_CALL);
        assertEquals("The back office says: 7", LambdaEvents.read(next.body()).get("content").asText(), next.body());
    }

    @Test
    void aStepEventWithADelayedMessageStreamsTheSameWay() throws Exception {
        String event = "{'step': {'request': {'url': '" + ToolCatalogueProfile.base() + "/slow/slow'},"
                + " 'capture': [{'variable': 'answer', 'path': 'response.answer'}],"
                + " 'tool': {'name': 'own_lookup', 'description': 'A slow lookup.',"
                + " 'messages': {'delayed': {'afterMs': 500, 'text': 'One moment, {name}.'}}}},"
                + " 'variables': {'name': 'Ada'}}";
        Stream stream = stream(event.replace('\'', '"'));
        assertStreamed(stream);
        List<Line> lines = stream.lines();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("One moment, Ada.", lines.get(0).json().get("text").asText());
        assertTrue(Math.abs(lines.get(0).atMs() - AFTER_MS) <= TOLERANCE_MS, "at " + lines.get(0).atMs());
        JsonNode result = lines.get(1).json().get("answer");
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals("42", result.at("/variables/answer").asText());
    }

    @Test
    void anEventWithoutAnInterimMessageStreamsOnlyTheResult() throws Exception {
        String event = "{\"step\": {\"request\": {\"url\": \"" + ToolCatalogueProfile.base() + "/slow/slow\"}}}";
        Stream stream = stream(event);
        assertStreamed(stream);
        assertEquals(1, stream.lines().size(), stream.lines().toString());
        assertEquals("success", stream.lines().get(0).json().at("/answer/branch").asText());
    }

    @Test
    void whatIsAnsweredBeforeTheStepRunsIsPlainJson() throws Exception {
        HttpRequest anonymous = HttpRequest.newBuilder(URI.create(root.toString()))
                .header("Accept", InterimStream.MEDIA_TYPE).POST(HttpRequest.BodyPublishers.ofString(SLOW_CALL)).build();
        assertPlain(client.send(anonymous, HttpResponse.BodyHandlers.ofString()), 401);
        HttpRequest otherTenant = request("{\"toolCall\": " + LambdaEvents.read(SLOW_CALL).get("toolCall")
                + ", \"context\": {\"tenantId\": \"globex\"}}", ContainerToolCatalogueProfile.TENANT_TOKEN)
                .header("Accept", InterimStream.MEDIA_TYPE).build();
        assertPlain(client.send(otherTenant, HttpResponse.BodyHandlers.ofString()), 403);
        HttpResponse<String> unreadable = client.send(request("{\"toolCall\": ").header("Accept", InterimStream.MEDIA_TYPE)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertPlain(unreadable, 200);
        assertEquals("INVALID_EVENT", LambdaEvents.read(unreadable.body()).at("/error/code").asText());
        API.verify(0, anyRequestedFor(anyUrl()));
    }

    private static void assertPlain(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null));
        LambdaEvents.read(response.body());
    }

    /**
     * A listener hanging up after the interim line breaks nothing: its step still runs to its end, and holds its slot
     * until then (with both slots busy, one more caller is refused), and the slot comes back.
     */
    @Test
    void aCallerGoingAwayMidStreamKeepsItsSlotUntilItsStepEnds() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", root.getPort())) {
            byte[] body = SLOW_CALL.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + ContainerToolCatalogueProfile.PLATFORM_TOKEN + "\r\nAccept: "
                    + InterimStream.MEDIA_TYPE + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.setSoTimeout(5_000);
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line = reader.readLine();
            while (line != null && !line.contains("\"interim\"")) {
                line = reader.readLine();
            }
            assertTrue(line != null, "the interim line came");
        }
        Thread.sleep(100);
        CompletableFuture<HttpResponse<String>> other = CompletableFuture.supplyAsync(() -> {
            try {
                return plain(SLOW_CALL);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitRequests(2);
        HttpResponse<String> refused = plain(FAST_CALL);
        assertEquals(503, refused.statusCode(), "the gone caller's step still holds its slot: " + refused.body());
        assertEquals("CONCURRENCY", LambdaEvents.read(refused.body()).at("/error/reason").asText());
        assertEquals("The back office says: 42", LambdaEvents.read(other.get(10, TimeUnit.SECONDS).body())
                .get("content").asText());
        for (int i = 0; i < ContainerToolCatalogueProfile.SLOTS + 1; i++) {
            assertEquals(200, plain(FAST_CALL).statusCode(), "every slot came back");
        }
    }

    private static void awaitRequests(int count) throws InterruptedException {
        for (int attempt = 0; attempt < 100 && API.findAll(anyRequestedFor(anyUrl())).size() < count; attempt++) {
            Thread.sleep(20);
        }
        assertEquals(count, API.findAll(anyRequestedFor(anyUrl())).size());
    }
}
