package dev.apistep.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one log line per step: its fields, and no way for a caller to forge another line. */
@QuarkusTest
class StepLogTest {

    @Test
    void logsOneLineWhoseCallerSuppliedNamesCannotForgeLines() {
        List<String> lines;
        try (LogCapture capture = LogCapture.start()) {
            LambdaEvents.invokeRaw("{\"step\": {\"id\": \"a\\nstep=forged branch=success\","
                    + " \"request\": {\"url\": \"https://{host}/x\"}}, \"context\": {\"tenantId\": \"t\\r\\n1\"}}");
            lines = capture.lines().stream().filter(line -> line.startsWith("step=")).toList();
        }
        assertEquals(1, lines.size(), lines.toString());
        String line = lines.get(0);
        assertTrue(line.startsWith("step=a_step=forged branch=success tenant=t__1 mode=run method=GET status=null"
                + " branch=failure error=INVALID_STEP attempts=0"), line);
        assertTrue(line.chars().noneMatch(c -> c == '\n' || c == '\r'), line);
    }
}
