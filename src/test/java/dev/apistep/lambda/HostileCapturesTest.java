package dev.apistep.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.HostileDocuments;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 23, classes 4 and 5: captures whose value repeats or copies a body within every parser limit
 * ({@code $..*} over a deep chain, {@code xpath://*} over 199,001 elements, a {@code concat} of a huge text).
 * Each is an unresolved path (warning naming it, its default applied), the step answers within its deadline
 * (plus a generous second) with a result under Lambda's limit, and the next step is served.
 */
@QuarkusTest
class HostileCapturesTest {

    /** Room for a 3.8 MB download on a loaded machine: the capture, not the transfer, is under test. */
    private static final int TIMEOUT_MS = 8000;
    /** Far from a speed target: only that the deadline is honoured, on a loaded machine too. */
    private static final long MARGIN_MS = 1000;
    private static final int RESULT_LIMIT = 5 * 1024 * 1024;

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void script() {
        HostileDocuments.serve(api);
    }

    @ParameterizedTest(name = "{1} over {0}")
    @CsvSource(delimiter = '|', textBlock = """
            /deep-json  | $..*
            /deep-json  | $..c
            /deep-json  | response
            /wide-json  | $..x
            /wide-json  | $..*
            /deep-xml   | xpath://*
            /deep-xml   | xpath://node()
            /deep-xml   | $..*
            /many-texts | xpath://node()
            /huge-text  | xpath:string(//*)
            /huge-text  | xpath:concat(/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/)
            """)
    void aCaptureThatWouldRepeatTheBodyIsUnresolvedWithinTheDeadline(String resource, String path) {
        long started = System.nanoTime();
        JsonNode result = hostile(resource, path, "run");
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals("success", result.get("branch").asText(), result.get("warnings").toString());
        assertEquals(200, result.get("changes").get("s").intValue(), "the cheap capture applies");
        assertEquals("none", result.get("variables").get("v").asText(), result.get("warnings").toString());
        assertTrue(unresolvedWarning(result, path), result.get("warnings").toString());
        assertTrue(tookMs < TIMEOUT_MS + MARGIN_MS, "answered after " + tookMs + " ms");
        assertTrue(result.toString().getBytes(StandardCharsets.UTF_8).length < RESULT_LIMIT);
        assertEquals("success", StepEvents.step("GET", DemoApi.base(api) + "/small").invoke().get("branch").asText(),
                "the next step is served");
    }

    /** Test mode adds the body, the path list and the request trace: all of it within the deadline and the limit. */
    @ParameterizedTest(name = "{1} over {0}")
    @CsvSource(delimiter = '|', textBlock = """
            /deep-json | $..*
            /deep-xml  | xpath://*
            """)
    void testModeTracesStayWithinTheDeadlineAndTheLimit(String resource, String path) {
        long started = System.nanoTime();
        JsonNode result = hostile(resource, path, "test");
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals("none", result.get("variables").get("v").asText(), result.get("warnings").toString());
        assertTrue(unresolvedWarning(result, path), result.get("warnings").toString());
        assertEquals(200, result.get("response").get("status").intValue());
        assertTrue(result.get("response").get("paths").size() > 0, "the path list starts at the top of the body");
        assertTrue(tookMs < TIMEOUT_MS + MARGIN_MS, "answered after " + tookMs + " ms");
        assertTrue(result.toString().getBytes(StandardCharsets.UTF_8).length < RESULT_LIMIT);
    }

    /** Cheap XPath over the same documents still answers: a count, and a selection of small values. */
    @Test
    void aBoundedXpathOverALargeDocumentStillResolves() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/deep-xml")
                .options("{\"timeoutMs\": 20000, \"maxResponseBytes\": " + HostileDocuments.MAX_RESPONSE_BYTES + "}")
                .capture("[{\"variable\": \"n\", \"path\": \"xpath:count(/r/e)\"},"
                        + " {\"variable\": \"first\", \"path\": \"xpath:name(/r/e[1])\"}]")
                .invoke();
        assertEquals(1000, result.get("changes").get("n").intValue(), result.get("warnings").toString());
        assertEquals("e", result.get("changes").get("first").textValue());
    }

    private static JsonNode hostile(String resource, String path, String mode) {
        return StepEvents.step("GET", DemoApi.base(api) + resource).mode(mode)
                .options("{\"timeoutMs\": " + TIMEOUT_MS + ", \"maxResponseBytes\": " + HostileDocuments.MAX_RESPONSE_BYTES + "}")
                .capture("[{\"variable\": \"v\", \"path\": \"" + path + "\", \"default\": \"none\"},"
                        + " {\"variable\": \"s\", \"path\": \"status\"}]")
                .invoke();
    }

    /** The capture's warning: a bound it would pass, or the deadline, and its default used. */
    private static boolean unresolvedWarning(JsonNode result, String path) {
        return StreamSupport.stream(result.get("warnings").spliterator(), false).map(JsonNode::asText)
                .anyMatch(warning -> warning.startsWith("capture 'v': path " + path + " ")
                        && (warning.contains(" more than ") || warning.contains("stopped at the step's deadline"))
                        && warning.endsWith("; the default was used"));
    }
}
