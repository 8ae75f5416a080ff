package dev.apistep.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A render or test result stays under 5 MiB whatever a variable holds: its traces are trimmed like captures. */
@QuarkusTest
class ResultSizeTest {

    private static final int MAX_RESULT_BYTES = 5 * 1024 * 1024;
    /** Large enough that the variable plus one copy of it in a trace is past the limit. */
    private static final String BIG = "a".repeat(2_700_000);

    @ParameterizedTest
    @ValueSource(strings = {"url", "body", "header", "everywhere"})
    void aRenderWithAHugeVariableStaysUnderTheLimit(String where) {
        StepEvents step = StepEvents.step("POST", "https://api.example.test/items"
                + (where.equals("url") || where.equals("everywhere") ? "/{big}?q={big}" : "")).mode("render")
                .variable("big", BIG);
        if (where.equals("body") || where.equals("everywhere")) {
            step.request("body", "{\"type\": \"text\", \"content\": \"{big}{big}\"}");
        }
        if (where.equals("header") || where.equals("everywhere")) {
            step.header("X-Big", "{big}").header("X-Big-Too", "{big}");
        }
        JsonNode result = step.invoke();
        int bytes = result.toString().getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes < MAX_RESULT_BYTES, where + ": " + bytes + " bytes");
        assertEquals(BIG, result.get("variables").get("big").textValue(), "the variables are never cut");
        // A URL past the guard's length limit is refused before any trace; otherwise the trace is there, trimmed.
        assertTrue(result.has("request") || !result.get("error").isNull(), result.path("error").toString());
    }
}
