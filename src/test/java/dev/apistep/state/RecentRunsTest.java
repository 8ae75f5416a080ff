package dev.apistep.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.core.Deadline;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.NameValue;
import dev.apistep.core.Warnings;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import dev.apistep.exchange.UsedSecrets;
import dev.apistep.result.Branch;
import dev.apistep.result.SecretMasker;
import dev.apistep.result.StepResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A recorded run: masked, its bodies cut at 4 KiB of UTF-8, and small enough that 20 fit a DynamoDB item. */
class RecentRunsTest {

    private final ObjectMapper mapper = LosslessJson.newMapper();
    private final MemoryStore store = new MemoryStore();
    private final RecentRuns runs = new RecentRuns(store, Duration.ofMinutes(1), new StoreTimeouts(Duration.ofSeconds(1)),
            mapper);

    private JsonNode record(List<NameValue> requestHeaders, String responseBody) {
        OutboundRequest request = new OutboundRequest("POST", URI.create("https://api.example.com/x?token=abc"),
                requestHeaders, new RequestBody.Text("{\"password\": \"hunter2\"}", "application/json"), null,
                UsedSecrets.NONE);
        SecretMasker masker = new SecretMasker(Set.of(), Set.of("hunter2"), request);
        StepResult result = new StepResult(Branch.SUCCESS, mapper.createObjectNode(), mapper.createObjectNode(), 200, null,
                List.of(), List.of(), 1, 5, null, null, null);
        Warnings warnings = new Warnings();
        runs.record(new RecentRuns.Run("acme", "s", "run", result, request, 200,
                List.of(new NameValue("Set-Cookie", "session=abc")), responseBody, masker),
                Deadline.afterMillis(1000), warnings);
        assertEquals(List.of(), warnings.list());
        return runs.list("acme", "s", Deadline.afterMillis(1000)).get(0);
    }

    @Test
    void aRunIsMaskedAndItsBodyCutAtFourKibOfUtf8() {
        JsonNode run = record(List.of(new NameValue("Authorization", "Bearer t0k3n")), "é".repeat(3000));
        String text = run.toString();
        assertFalse(text.contains("t0k3n") || text.contains("hunter2") || text.contains("abc"), text);
        String body = run.get("response").get("body").asText();
        assertTrue(body.getBytes(StandardCharsets.UTF_8).length <= RecentRuns.MAX_BODY_BYTES);
        assertEquals(2048, body.length(), "two-byte characters, none split");
        assertTrue(run.get("response").get("bodyTruncated").asBoolean());
    }

    @Test
    void aRunWithHugeHeadersLeavesThemOut() {
        List<NameValue> headers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            headers.add(new NameValue("X-Header-" + i, "v".repeat(1000)));
        }
        JsonNode run = record(headers, "ok");
        assertTrue(run.toString().length() <= RecentRuns.MAX_RUN_CHARS, run.toString().length() + " characters");
        assertTrue(run.get("request").get("headersOmitted").asBoolean());
        assertEquals("ok", run.get("response").get("body").asText());
    }

    @Test
    void utf8HeadNeverSplitsACharacter() {
        assertEquals("ab", RecentRuns.utf8Head("ab😀", 5));
        assertEquals("ab😀", RecentRuns.utf8Head("ab😀", 6));
    }
}
