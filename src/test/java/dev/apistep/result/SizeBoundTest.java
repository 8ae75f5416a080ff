package dev.apistep.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepError;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SizeBoundTest {

    private final ObjectMapper mapper = LosslessJson.newMapper();

    @Test
    void theBoundIsNeverBelowTheWrittenSize() throws Exception {
        Random random = new Random(15);
        for (int round = 0; round < 300; round++) {
            ObjectNode variables = (ObjectNode) mapper.readTree("{\"n\": 1.0e-400, \"big\": 123456789012345678901234567890,"
                    + " \"d\": 12.50, \"neg\": -9223372036854775808, \"list\": [true, null, {\"x\": -1E+30}]}");
            variables.put(text(random), text(random));
            variables.putArray("items").add(text(random)).add(random.nextDouble()).add(random.nextLong());
            ObjectNode changes = mapper.createObjectNode().put("st", text(random));
            StepResult result = new StepResult(Branch.FAILURE, variables, changes, 503,
                    StepError.of(ErrorCode.INVALID_STEP, text(random), text(random)), List.of(text(random)), List.of("t"), 2, 17,
                    new RequestTrace("GET", "https://api.test/" + text(random), List.of(new NameValue("X-A", text(random))), null),
                    new ResponseTrace(503, List.of(new NameValue("Content-Type", text(random))), text(random), false,
                            List.of("$.a", text(random))),
                    round % 2 == 0 ? null : mapper.readTree("{\"request\": {\"url\": \"\\u0000\\u2028\"}}"));
            long written = mapper.writeValueAsBytes(result).length;
            long bound = SizeBound.of(result, Long.MAX_VALUE - 1);
            assertTrue(bound >= written, "bound " + bound + " < written " + written);
        }
    }

    @Test
    void aBoundPastEnoughStopsEarly() {
        ObjectNode variables = mapper.createObjectNode().put("v", "x".repeat(1000));
        StepResult result = new StepResult(Branch.SUCCESS, variables, mapper.createObjectNode(), 200, null, List.of(), List.of(),
                1, 1, null, null, null);
        assertTrue(SizeBound.of(result, 100) > 100);
    }

    @Test
    void aValueWithoutABoundIsUnknown() {
        assertEquals(SizeBound.UNKNOWN, SizeBound.of(new Object(), Long.MAX_VALUE - 1));
    }

    /** Any UTF-16 text: controls, quotes, backslashes, non-ASCII, lone and paired surrogates. */
    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(6);
            text.append(switch (kind) {
                case 0 -> (char) random.nextInt(0x20);
                case 1 -> '"';
                case 2 -> '\\';
                case 3 -> (char) (0x80 + random.nextInt(0xD000));
                case 4 -> "\uD83D\uDE00";
                default -> (char) ('a' + random.nextInt(26));
            });
        }
        return text.toString();
    }
}
