package dev.apistep.read.curl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.StepFailure;
import dev.apistep.step.CurlImport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The import table ({@code src/test/resources/curl/commands.txt}) and the commands that cannot be imported. */
class CurlImporterTest {

    private static final ObjectMapper JSON = LosslessJson.newMapper();

    record Case(String name, String command, String expected, List<String> warnings) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() throws IOException {
        String text;
        try (InputStream in = CurlImporterTest.class.getResourceAsStream("/curl/commands.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Case> cases = new ArrayList<>();
        for (String block : text.split("\n=== ")) {
            if (block.startsWith("#")) {
                continue;
            }
            String name = block.substring(0, block.indexOf('\n'));
            String rest = block.substring(block.indexOf('\n') + 1);
            String[] parts = rest.split("\n--- warnings\n", 2);
            String[] commandAndExpect = parts[0].split("\n--- expect\n", 2);
            List<String> warnings = parts.length > 1 ? parts[1].strip().lines().toList() : List.of();
            cases.add(new Case(name, commandAndExpect[0], commandAndExpect[1].strip(), warnings));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void importsTheCommandAsTheStepABuilderShows(Case example) throws Exception {
        CurlImport imported = CurlImporter.read(example.command());
        assertEquals(JSON.readTree(example.expected()), imported.toJson(), example.command());
        assertEquals(example.warnings().size(), imported.warnings().size(), imported.warnings().toString());
        for (String fragment : example.warnings()) {
            assertTrue(imported.warnings().stream().anyMatch(warning -> warning.contains(fragment)),
                    fragment + " not in " + imported.warnings());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            wget https://example.com                                  | must be a curl command
            http GET https://example.com                              | must be a curl command
            curl -H 'Accept: x'                                       | has no URL
            curl                                                      | has no URL
            curl -d @body.json https://example.com                    | reads a file
            curl --json @data.json https://example.com                | reads a file
            curl --data-urlencode name@file.txt https://example.com   | reads a file
            curl --data-urlencode @file.txt https://example.com       | reads a file
            curl -F 'doc=<notes.txt' https://example.com              | uploads a file
            curl 'https://example.com                                 | is not closed
            curl "https://example.com                                 | is not closed
            curl -H                                                   | needs a value
            curl -m soon https://example.com                          | needs a number
            """)
    void refusesWhatIsNotAnImportableCommand(String command, String message) {
        StepFailure failure = assertThrows(StepFailure.class, () -> CurlImporter.read(command));
        assertEquals(ErrorCode.INVALID_STEP, failure.error().code());
        assertEquals("step.request.curl", failure.error().reason());
        assertTrue(failure.error().message().contains(message), failure.error().message());
    }
}
