package dev.apistep.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.Deadline;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.NameValue;
import dev.apistep.core.Warnings;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.step.Capture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The capture stage ends at the step's deadline whatever the path and the body: no path can hang a step. */
class CaptureDeadlineTest {

    private static final ObjectMapper JSON = LosslessJson.newMapper();
    private static final long STEP_MS = 500;
    /** Generous: the stage must end near STEP_MS; this only tells "ended" from "hung". */
    private static final Duration HANG = Duration.ofSeconds(10);

    private final Capturer capturer = new Capturer(JSON);
    private final Warnings warnings = new Warnings();

    private static ResponseDocument json(String body) {
        return ResponseDocument.of(new HttpResponse(200, List.of(new NameValue("Content-Type", "application/json")),
                body.getBytes(StandardCharsets.UTF_8), URI.create("http://h.test/")), JSON);
    }

    /** 30 letters and a mismatch: nested quantifiers backtrack for longer than anyone waits. */
    private static final String BACKTRACKING = "[{\"a\": \"" + "a".repeat(30) + "!\"}, {\"a\": \"ab\"}]";

    @ParameterizedTest
    @ValueSource(strings = {"$..[?(@.a =~ /((a+)+)+b/)]", "$..[?(@.a =~ /(a+)+b/)]", "$[?(@.a =~ /(.*a){25}b/i)].a",
        "$[?(@.a =~ /((a|aa)+)+b/)]"})
    void aBacktrackingRegexFilterEndsAtTheDeadlineAndTheCaptureFallsBack(String path) throws Exception {
        ObjectNode changes = assertTimeoutPreemptively(HANG, () -> capturer.capture(
                List.of(new Capture("m", path, true, JSON.readTree("\"none\"")), new Capture("s", "status", false, null)),
                json(BACKTRACKING), warnings, Deadline.afterMillis(STEP_MS)));
        assertEquals(200, changes.get("s").intValue(), "cheap captures still apply");
        JsonNode matched = changes.get("m");
        if (matched.isTextual()) {
            assertEquals("none", matched.textValue());
            assertTrue(warnings.list().get(0).contains("stopped at the step's deadline; the default was used"),
                    warnings.list().toString());
        } else {
            // The JDK's own regex engine cuts some of these patterns short; then the answer is simply right.
            assertTrue(matched.isArray(), matched.toString());
        }
    }

    @Test
    void aMatchingRegexFilterStillMatches() throws Exception {
        ObjectNode changes = capturer.capture(List.of(new Capture("m", "$[?(@.a =~ /a.*/)].a", false, null),
                new Capture("n", "$[?(@.a =~ /AB/i)].a", false, null), new Capture("none", "$[?(@.a =~ /x/)].a", false, null)),
                json(BACKTRACKING + "".trim()), warnings, Deadline.afterMillis(STEP_MS * 20));
        assertEquals("[\"" + "a".repeat(30) + "!\",\"ab\"]", changes.get("m").toString());
        assertEquals("[\"ab\"]", changes.get("n").toString());
        assertFalse(changes.has("none"));
    }

    /** A wide and deep body, with a filter that descends again under every node it visits. */
    private static String largeDeepBody() {
        StringBuilder body = new StringBuilder("[");
        for (int branch = 0; branch < 400; branch++) {
            body.append(branch == 0 ? "" : ",").append("{\"x\": 1, \"c\": ".repeat(60)).append("{\"a\": 1}")
                    .append("}".repeat(60));
        }
        return body.append("]").toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"$..[?(@..a)]..x", "$..*..*..x"})
    void recursiveDescentOverALargeDeepBodyEndsAtTheDeadline(String path) {
        ResponseDocument document = json(largeDeepBody());
        long started = System.nanoTime();
        ObjectNode changes = assertTimeoutPreemptively(HANG, () -> capturer.capture(
                List.of(new Capture("x", path, false, null)), document, warnings, Deadline.afterMillis(STEP_MS)));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        if (!changes.has("x")) {
            assertTrue(warnings.list().get(0).contains("stopped at the step's deadline; the variable was left unchanged"),
                    warnings.list().toString());
        }
        assertTrue(tookMs < HANG.toMillis(), "took " + tookMs + " ms");
    }

    @Test
    void anExpiredDeadlineStillLeavesTheCheapCaptures() {
        ObjectNode changes = capturer.capture(List.of(new Capture("s", "status", false, null),
                new Capture("v", "$..a", false, null)), json("{\"a\": 1}"), warnings, Deadline.afterMillis(0));
        assertEquals(200, changes.get("s").intValue());
        assertEquals("[1]", changes.get("v").toString(), "a small body is read within the grace");
    }

    @Test
    void thePathListStopsAtTheDeadlineAndAtItsSizeBounds() throws Exception {
        JsonNode big = JSON.readTree(largeDeepBody());
        assertTimeoutPreemptively(HANG, () -> PathLister.list(big, Deadline.afterMillis(0)));
        assertEquals(PathLister.MAX_PATHS, PathLister.list(big, Deadline.afterMillis(STEP_MS * 20)).size());
        String longKeys = "{" + "\"k\": {\"".repeat(1) + "x".repeat(200) + "\": [" + "0,".repeat(5000) + "0]}}";
        List<String> paths = PathLister.list(JSON.readTree(longKeys), Deadline.afterMillis(STEP_MS * 20));
        assertTrue(paths.stream().mapToInt(String::length).sum() <= PathLister.MAX_TOTAL_CHARS);
        String deep = "[".repeat(190) + "]".repeat(190);
        assertEquals(190, PathLister.list(JSON.readTree(deep), Deadline.afterMillis(STEP_MS * 20)).size());
    }
}
