package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One deadline per step, whatever the server does, and a cap on what is read. Durations are checked
 * only against the server's own delays (seconds apart), never as a speed target.
 */
@QuarkusTest
class DeadlineAndLimitsTest {

    /** The servers below take this long; a step cut at its deadline ends far sooner. */
    private static final int SERVER_DELAY_MS = 20_000;
    private static final byte[] GZIP_BOMB = gzip(new byte[20 * 1024 * 1024]);

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void scriptTheApi() {
        api.stubFor(get(urlPathEqualTo("/drip")).willReturn(aResponse().withStatus(200)
                .withBody("x".repeat(2000)).withChunkedDribbleDelay(20, SERVER_DELAY_MS)));
        api.stubFor(get(urlPathEqualTo("/slow-headers")).willReturn(aResponse().withStatus(200)
                .withBody("{}").withFixedDelay(SERVER_DELAY_MS)));
        api.stubFor(get(urlPathEqualTo("/big")).willReturn(aResponse().withStatus(200)
                .withBody("y".repeat(2 * 1024 * 1024))));
        api.stubFor(get(urlPathEqualTo("/big-chunked")).willReturn(aResponse().withStatus(200)
                .withBody("z".repeat(5000)).withChunkedDribbleDelay(5, 50)));
        api.stubFor(get(urlPathEqualTo("/gzip-bomb")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Encoding", "gzip").withHeader("Content-Type", "application/json")
                .withBody(GZIP_BOMB)));
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(data);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Test
    void aServerThatDripsItsBodyIsCutAtTheDeadline() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/drip").options("{\"timeoutMs\": 1500}").invoke();
        assertEquals("failure", result.get("branch").asText());
        assertEquals("TIMEOUT", result.get("error").get("code").asText());
        assertTrue(result.get("error").get("retryable").booleanValue());
        assertTrue(result.get("durationMs").longValue() < SERVER_DELAY_MS / 2, result.toString());
    }

    @Test
    void aServerThatHoldsItsHeadersIsCutAtTheDeadline() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/slow-headers").options("{\"timeoutMs\": 1000}").invoke();
        assertEquals("TIMEOUT", result.get("error").get("code").asText());
        assertTrue(result.get("durationMs").longValue() < SERVER_DELAY_MS / 2, result.toString());
    }

    @Test
    void aDeclaredLengthOverTheCapFailsBeforeReading() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/big").invoke();
        assertEquals("RESPONSE_TOO_LARGE", result.get("error").get("code").asText());
        assertEquals("failure", result.get("branch").asText());
    }

    @Test
    void aChunkedBodyOverTheCapStopsAtTheCap() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/big-chunked")
                .options("{\"maxResponseBytes\": 1000}").invoke();
        assertEquals("RESPONSE_TOO_LARGE", result.get("error").get("code").asText());
        JsonNode fits = StepEvents.step("GET", DemoApi.base(api) + "/big-chunked")
                .options("{\"maxResponseBytes\": 5000}").capture("[{\"variable\": \"b\", \"path\": \"body\"}]").invoke();
        assertEquals("success", fits.get("branch").asText());
        assertEquals(5000, fits.get("variables").get("b").textValue().length());
    }

    @Test
    void aCompressedBodyIsCountedDecompressed() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/gzip-bomb").invoke();
        assertEquals("RESPONSE_TOO_LARGE", result.get("error").get("code").asText(), result.toString());
    }
}
