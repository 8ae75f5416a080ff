package dev.apistep.read.curl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import dev.apistep.step.CurlImport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What bounds an import's work and answer: form parts, a part's details and warnings are capped (past the cap the
 * command is INVALID_STEP naming step.request.curl), and repeated names and empty details cost no more than their
 * text.
 */
class CurlImportLimitsTest {

    private static void assertRefused(String command, String message) {
        StepFailure failure = assertThrows(StepFailure.class, () -> CurlImporter.read(command));
        assertEquals(ErrorCode.INVALID_STEP, failure.error().code());
        assertEquals("step.request.curl", failure.error().reason());
        assertTrue(failure.error().message().contains(message), failure.error().message());
    }

    @Test
    void formPartsUpToTheCapImportAndOneMoreIsRefused() {
        String parts = " -F a=b".repeat(CurlImporter.MAX_FORM_PARTS);
        CurlImport imported = CurlImporter.read("curl https://x" + parts);
        assertEquals(CurlImporter.MAX_FORM_PARTS, imported.toJson().at("/request/body/fields").size());
        assertRefused("curl https://x" + parts + " -F a=b", "more than " + CurlImporter.MAX_FORM_PARTS + " form parts");
    }

    @Test
    void warningsUpToTheCapImportAndOneMoreIsRefused() {
        String flags = " -k".repeat(CurlImporter.MAX_WARNINGS);
        assertEquals(CurlImporter.MAX_WARNINGS, CurlImporter.read("curl https://x" + flags).warnings().size());
        assertRefused("curl https://x" + flags + " --not-an-option", "more than " + CurlImporter.MAX_WARNINGS + " warnings");
        assertRefused("curl https://x" + " -F a=@x".repeat(CurlImporter.MAX_WARNINGS + 1), "warnings");
    }

    @Test
    void fileFieldsOfOneNameTakeNumberedPlaceholdersInOrder() {
        CurlImport imported = CurlImporter.read("curl https://x -F a=@x -F 'a b=@y' -F a=@z -F a_base64_2=@w");
        JsonNode fields = imported.toJson().at("/request/body/fields");
        assertEquals(List.of("{a_base64}", "{a_b_base64}", "{a_base64_2}", "{a_base64_2_base64}"),
                List.of(fields.get(0), fields.get(1), fields.get(2), fields.get(3)).stream()
                        .map(field -> field.at("/file/content").textValue()).toList());
    }

    @Test
    void emptyDetailsOfAFormPartAreNothingToWarnAbout() {
        CurlImport imported = CurlImporter.read("curl https://x -F 'a=b" + "; ;".repeat(50_000) + "type=text/csv'");
        assertEquals(List.of(), imported.warnings());
        JsonNode field = imported.toJson().at("/request/body/fields/0");
        assertEquals("b", field.get("value").textValue());
        assertEquals("text/csv", field.get("contentType").textValue());
    }

    @Test
    void detailsOfAFormPartUpToTheCapAreWarnedAboutAndOneMoreIsRefused() {
        String details = ";x".repeat(FormArgument.MAX_DETAILS);
        assertEquals(FormArgument.MAX_DETAILS, CurlImporter.read("curl https://x -F 'a=b" + details + "'").warnings().size());
        assertRefused("curl https://x -F 'a=b" + details + ";x'", "more than " + FormArgument.MAX_DETAILS + " ;details");
    }

    @Test
    void aWarningQuotesAtMostTheStartOfAHugeName() {
        String name = "n".repeat(100_000);
        List<String> warnings = CurlImporter.read("curl https://x -F '" + name + "=b;" + name + "' -H '" + name + ":' --"
                + name + " --data-binary @" + name).warnings();
        List<Integer> lengths = warnings.stream().map(String::length).toList();
        assertEquals(5, lengths.size(), lengths.toString());
        assertTrue(lengths.stream().allMatch(length -> length < 300), lengths.toString());
    }
}
