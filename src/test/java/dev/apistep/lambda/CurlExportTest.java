package dev.apistep.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code request.curl} in test and render results: importing every exported command gives the same request
 * back and a POSIX shell reads it as the words meant; {@link CurlExportHostileTest} runs it in bash, dash and curl.
 */
@QuarkusTest
class CurlExportTest {

    private static final String NASTY = "it's \"quoted\" $HOME `id` \\ back\nnew line & a=b; ${x} \u00e9\u20ac";

    record Example(String name, StepEvents step) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Example> examples() {
        String base = "http://127.0.0.1:" + 9 + "/api";
        return Stream.of(
                new Example("get with query and headers", StepEvents.step("GET", base + "/orders/{id}?lang=en&q={q}")
                        .variable("id", "A 17/x").variable("q", NASTY).header("X-Trace", "c'9").header("Accept", "*/*")),
                new Example("json post", StepEvents.step("POST", base + "/notes").variable("note", NASTY)
                        .request("body", "{\"type\": \"json\", \"content\": {\"note\": \"{note}\", \"n\": 3}}")),
                new Example("form with reserved characters", StepEvents.step("POST", base + "/form").variable("v", "a&b=c +d%'e")
                        .request("body", "{\"type\": \"form\", \"fields\": [{\"name\": \"x y\", \"value\": \"{v}\"}, {\"name\": \"n\", \"value\": \"1\"}]}")),
                new Example("text put", StepEvents.step("PUT", base + "/t").variable("v", NASTY)
                        .request("body", "{\"type\": \"text\", \"content\": \"{v}\", \"contentType\": \"text/csv\"}")),
                new Example("multipart text fields curl would read as files", StepEvents.step("POST", base + "/m")
                        .request("body", "{\"type\": \"multipart\", \"fields\": [{\"name\": \"a\", \"value\": \"@/etc/passwd\"},"
                                + " {\"name\": \"b\", \"value\": \"<x;type=text/html\"}, {\"name\": \"c\", \"value\": \"it's\"}]}")),
                new Example("delete", StepEvents.step("DELETE", base + "/orders/1")),
                new Example("head", StepEvents.step("HEAD", base + "/orders/1")),
                new Example("patch json text", StepEvents.step("PATCH", base + "/orders/1")
                        .request("body", "{\"type\": \"json\", \"content\": \"[1, 2.50, null]\"}")),
                new Example("get with a body", StepEvents.step("GET", base + "/search")
                        .request("body", "{\"type\": \"text\", \"content\": \"q=1\"}")),
                new Example("bearer auth masked", StepEvents.step("GET", base + "/me").variable("t", "canary-4711")
                        .stepField("auth", "{\"type\": \"bearer\", \"token\": \"{t}\"}")),
                new Example("api key in query masked", StepEvents.step("GET", base + "/me?page=2").variable("k", "canary-4711")
                        .stepField("auth", "{\"type\": \"apiKey\", \"in\": \"query\", \"name\": \"api_key\", \"value\": \"{k}\"}")),
                new Example("header with an empty value", StepEvents.step("GET", base + "/e").header("X-Empty", "")),
                new Example("text with control characters (written as printf forms)", StepEvents.step("PUT", base + "/t")
                        .variable("v", "tab\there\r\nesc\u001b[201~ kill\u0015 del\u007f bell\u0007")
                        .request("body", "{\"type\": \"text\", \"content\": \"{v}\"}")),
                new Example("multipart text field with its own type", StepEvents.step("POST", base + "/m").variable("v", NASTY)
                        .request("body", "{\"type\": \"multipart\", \"fields\": [{\"name\": \"meta\", \"value\": \"{v}\","
                                + " \"contentType\": \"application/json\"}, {\"name\": \"b\", \"value\": \"@x\"}]}")));
    }

    private static JsonNode renderedRequest(ObjectNode event) {
        JsonNode result = LambdaEvents.invoke(event);
        assertEquals("success", result.get("branch").asText(), result.toString());
        return result.get("request");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void importingTheExportedCommandGivesTheSameRequestBack(Example example) {
        JsonNode first = renderedRequest(example.step().mode("render").json());
        String curl = first.get("curl").asText();
        assertFalse(curl.contains("canary-4711"), curl);

        ObjectNode again = example.step().json().deepCopy();
        ObjectNode request = (ObjectNode) again.with("step").get("request");
        request.removeAll();
        request.put("curl", curl);
        again.with("step").remove("auth");
        JsonNode second = renderedRequest(again);
        for (String part : List.of("method", "url", "headers", "body")) {
            assertEquals(first.get(part), second.get(part), part + " of " + curl);
        }
        assertEquals(curl, second.get("curl").asText(), "exporting the import gives the same command");
    }

    /**
     * Bytes are exported as local files curl reads; importing that command gives a file part (or binary body)
     * whose content is a placeholder variable: with the variable set to the same bytes, the same request comes back.
     */
    @Test
    void filesAndBinaryBodiesComeBackThroughTheirPlaceholders() {
        String b64 = java.util.Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 0xff, '\'', '"'});
        List<StepEvents> steps = List.of(
                StepEvents.step("PUT", "http://127.0.0.1:9/doc.pdf?sig=1").variable("pdf", b64).variable("body_base64", b64)
                        .request("body", "{\"type\": \"binary\", \"content\": \"{pdf}\", \"contentType\": \"application/pdf\"}"),
                StepEvents.step("POST", "http://127.0.0.1:9/t").variable("photo", b64).variable("file_base64", b64)
                        .variable("f_base64", b64)
                        .request("body", "{\"type\": \"multipart\", \"fields\": [{\"name\": \"s\", \"value\": \"x\"},"
                                + " {\"name\": \"file\", \"file\": {\"content\": \"{photo}\", \"filename\": \"my photo;1.jpg\","
                                + " \"contentType\": \"image/jpeg\"}}]}"));
        for (StepEvents step : steps) {
            JsonNode first = renderedRequest(step.mode("render").json());
            String curl = first.get("curl").asText();
            assertTrue(curl.contains("@"), curl);
            ObjectNode again = step.json().deepCopy();
            ((ObjectNode) again.with("step").get("request")).removeAll().put("curl", curl);
            JsonNode second = renderedRequest(again);
            for (String part : List.of("method", "url", "headers", "body")) {
                assertEquals(first.get(part), second.get(part), part + " of " + curl);
            }
        }
    }

    /** What a POSIX shell (dash) makes of the command: each argument as the export meant it. */
    @Test
    void aPosixShellReadsTheCommandAsOneCurlInvocationWithLiteralArguments() throws Exception {
        Assumptions.assumeTrue(new File("/bin/sh").canExecute());
        JsonNode request = renderedRequest(examples().filter(e -> e.name().equals("text put")).findFirst().orElseThrow()
                .step().mode("render").json());
        String script = "curl() { for a in \"$@\"; do printf '%s\\0' \"$a\"; done; }; " + request.get("curl").asText();
        Process shell = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
        byte[] out = shell.getInputStream().readAllBytes();
        assertTrue(shell.waitFor(10, TimeUnit.SECONDS));
        List<String> words = List.of(new String(out, StandardCharsets.UTF_8).split("\0"));
        assertEquals("-X", words.get(0));
        assertEquals("PUT", words.get(1));
        assertEquals(NASTY, words.get(words.size() - 1), "the body reaches curl unexpanded");
        assertEquals("--data-raw", words.get(words.size() - 2));
    }
}
