package dev.apistep.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.LosslessJson;
import dev.apistep.result.Branch;
import dev.apistep.result.SecretMasker;
import dev.apistep.result.StepResult;
import dev.apistep.step.ToolSpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A tool's answer (contract §8): what goes to the model, its text and its structured content, holds no secret. */
class ToolAnswerTest {

    private static final ObjectMapper JSON = LosslessJson.newMapper();
    private static final String SECRET = "s3cr3t-order-token-value";

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    @Test
    void capturedSecretsAreMaskedInTheTextAndTheStructuredContent() throws Exception {
        ObjectNode changes = json("{\"seen\": \"Bearer " + SECRET + "\", \"nested\": {\"list\": [\"" + SECRET + "\", 7]},"
                + " \"status\": \"ok\"}");
        StepResult result = new StepResult(Branch.SUCCESS, changes, changes, 200, null, List.of(), List.of(), 1, 5, null,
                null, null);
        ToolSpec tool = new ToolSpec("echo", "Echo.", null, List.of(), null, ToolSpec.ToolMessages.NONE, 4000);
        ToolAnswer answer = ToolAnswer.of(tool, result, json("{}"), new SecretMasker(Set.of(), Set.of(SECRET), null), JSON);
        assertFalse(answer.text().contains(SECRET), answer.text());
        assertFalse(answer.structured().toString().contains(SECRET), answer.structured().toString());
        assertEquals("Bearer ***", answer.structured().get("seen").asText());
        assertEquals(7, answer.structured().at("/nested/list/1").intValue(), "other values stay as they are");
        assertEquals("ok", answer.structured().get("status").asText());
        assertTrue(changes.toString().contains(SECRET), "the step's own variables are left alone");
    }

    @Test
    void aLongAnswerIsCutVisiblyWithinTheLimit() {
        String cut = ToolAnswer.cut("x".repeat(5000), 100);
        assertEquals(100, cut.length());
        assertTrue(cut.endsWith("… [cut at 100 of 5000 characters]"), cut);
    }
}
