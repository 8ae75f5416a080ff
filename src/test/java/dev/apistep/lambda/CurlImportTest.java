package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A pasted cURL command, imported as fields and run as a step, as the server receives it. */
@QuarkusTest
class CurlImportTest {

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void answerEverything() {
        api.stubFor(any(anyUrl()).willReturn(okJson("{\"order\": {\"status\": \"noted\"}}")));
    }

    private static ObjectNode event(String mode, String curl) {
        ObjectNode event = LambdaEvents.JSON.createObjectNode().put("mode", mode);
        ObjectNode step = event.putObject("step").put("id", "pasted");
        step.putObject("request").put("curl", curl);
        step.set("capture", LambdaEvents.read("[{\"variable\": \"status\", \"path\": \"order.status\"}]"));
        event.set("variables", LambdaEvents.read(
                "{\"order_id\": \"A 17\", \"note\": \"He said \\\"hi\\\"\", \"count\": 3, \"key\": \"s3cr3t\"}"));
        return event;
    }

    private String curl() {
        return "curl -X POST '" + DemoApi.base(api) + "/orders/{order_id}/notes?lang=en' \\\n"
                + "  -H 'Content-Type: application/json' \\\n"
                + "  -H 'Authorization: Bearer {key}' \\\n"
                + "  --compressed -k \\\n"
                + "  -d '{\"note\": \"{note}\", \"count\": {count}}'";
    }

    @Test
    void importModeReturnsTheStructuredStepAndSendsNothing() {
        JsonNode result = LambdaEvents.invoke(event("import", curl()));
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals(0, api.findAll(anyRequestedFor(anyUrl())).size());
        JsonNode step = result.get("step");
        assertEquals("POST", step.get("request").get("method").asText());
        assertEquals(DemoApi.base(api) + "/orders/{order_id}/notes?lang=en", step.get("request").get("url").asText());
        assertEquals("json", step.get("request").get("body").get("type").asText());
        assertEquals("{\"type\":\"bearer\",\"token\":\"{key}\"}", step.get("auth").toString());
        assertTrue(result.get("warnings").toString().contains("-k cannot apply"), result.get("warnings").toString());
        assertEquals(0, result.get("attempts").intValue());
    }

    @Test
    void aPastedCommandRunsWithItsVariablesRendered() {
        JsonNode result = LambdaEvents.invoke(event("run", curl()));
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals("noted", result.get("variables").get("status").textValue());
        List<LoggedRequest> requests = api.findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, requests.size());
        LoggedRequest sent = requests.get(0);
        assertEquals("POST", sent.getMethod().getName());
        assertEquals("/orders/A%2017/notes?lang=en", sent.getUrl());
        assertEquals("Bearer s3cr3t", sent.getHeader("Authorization"));
        JsonNode body = LambdaEvents.read(sent.getBodyAsString());
        assertEquals("He said \"hi\"", body.get("note").textValue());
        assertEquals(3, body.get("count").intValue());
        assertTrue(result.get("warnings").toString().contains("-k cannot apply"));
    }

    @Test
    void aPastedFormCommandWithBasicAuthRuns() {
        String curl = "curl " + DemoApi.base(api) + "/v1/customers -u sk_test_123: -d description='{note}' -d email=a@b.example";
        JsonNode result = LambdaEvents.invoke(event("run", curl));
        assertEquals("success", result.get("branch").asText(), result.toString());
        LoggedRequest sent = api.findAll(anyRequestedFor(anyUrl())).get(0);
        assertEquals("Basic " + Base64.getEncoder().encodeToString("sk_test_123:".getBytes()), sent.getHeader("Authorization"));
        assertEquals("description=He+said+%22hi%22&email=a%40b.example", sent.getBodyAsString());
    }

    @Test
    void theStepsOwnAuthWinsOverTheCommands() {
        ObjectNode event = event("run", "curl -u a:b " + DemoApi.base(api) + "/x");
        ((ObjectNode) event.get("step")).set("auth", LambdaEvents.read("{\"type\": \"bearer\", \"token\": \"own\"}"));
        assertEquals("success", LambdaEvents.invoke(event).get("branch").asText());
        assertEquals("Bearer own", api.findAll(anyRequestedFor(anyUrl())).get(0).getHeader("Authorization"));
    }

    private String fileCommand() {
        return "curl " + DemoApi.base(api) + "/tickets -F subject=broken -F 'file=@/tmp/photo.jpg;type=image/jpeg'";
    }

    @Test
    void aFileUploadImportsAsAFilePartWithAPlaceholderNamedInAWarning() {
        JsonNode result = LambdaEvents.invoke(event("import", fileCommand()));
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals("{\"name\":\"file\",\"file\":{\"content\":\"{file_base64}\",\"encoding\":\"base64\","
                + "\"filename\":\"photo.jpg\",\"contentType\":\"image/jpeg\"}}",
                result.get("step").get("request").get("body").get("fields").get(1).toString());
        assertTrue(result.get("warnings").toString().contains("variable {file_base64}"), result.get("warnings").toString());
        assertEquals(0, api.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void runStillRefusesACommandThatNeedsALocalFile() {
        ObjectNode event = event("run", fileCommand());
        ((ObjectNode) event.get("variables")).put("file_base64", "AQID");
        JsonNode result = LambdaEvents.invoke(event);
        assertEquals("INVALID_STEP", result.get("error").get("code").asText(), result.toString());
        assertEquals("step.request.curl", result.get("error").get("reason").asText());
        assertTrue(result.get("error").get("message").asText().contains("/tmp/photo.jpg"));
        assertEquals(0, api.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void testModeSendsTheFilePartOnceItsVariableIsSet() {
        ObjectNode event = event("test", fileCommand());
        ((ObjectNode) event.get("variables")).put("file_base64", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, (byte) 0xff}));
        JsonNode result = LambdaEvents.invoke(event);
        assertEquals("success", result.get("branch").asText(), result.toString());
        List<UploadsTest.Part> parts = UploadsTest.parts(api.findAll(anyRequestedFor(anyUrl())).get(0));
        assertEquals(2, parts.size());
        assertEquals("Content-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg", parts.get(1).head());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {1, 2, 3, (byte) 0xff}, parts.get(1).body());
    }

    private String typedPartCommand() {
        return "curl " + DemoApi.base(api) + "/tickets -F 'meta=\"{\\\"count\\\": {count}}\";type=application/json'"
                + " -F 'subject=broken;type=text/plain;charset=UTF-8' --form-string 'raw=a;type=text/csv'";
    }

    @Test
    void aTypedFormPartImportsWithItsContentType() {
        JsonNode result = LambdaEvents.invoke(event("import", typedPartCommand()));
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals("[{\"name\":\"meta\",\"value\":\"{\\\"count\\\": {count}}\",\"contentType\":\"application/json\"},"
                + "{\"name\":\"subject\",\"value\":\"broken\",\"contentType\":\"text/plain;charset=UTF-8\"},"
                + "{\"name\":\"raw\",\"value\":\"a;type=text/csv\"}]",
                result.get("step").get("request").get("body").get("fields").toString());
        assertEquals(0, api.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void aTypedFormPartIsSentWithItsContentType() {
        JsonNode result = LambdaEvents.invoke(event("run", typedPartCommand()));
        assertEquals("success", result.get("branch").asText(), result.toString());
        List<UploadsTest.Part> parts = UploadsTest.parts(api.findAll(anyRequestedFor(anyUrl())).get(0));
        assertEquals(3, parts.size());
        assertEquals("Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json", parts.get(0).head());
        assertEquals("{\"count\": 3}", new String(parts.get(0).body(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("Content-Disposition: form-data; name=\"subject\"\r\nContent-Type: text/plain;charset=UTF-8", parts.get(1).head());
        assertEquals("Content-Disposition: form-data; name=\"raw\"\r\nContent-Type: text/plain; charset=UTF-8", parts.get(2).head());
        assertEquals("a;type=text/csv", new String(parts.get(2).body(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void anOlderCmdCopyWithDoubledQuotesAndPercentSignsRunsWithItsJson() {
        String curl = "curl \"" + DemoApi.base(api) + "/orders\" -H \"Content-Type: application/json\""
                + " --data-raw \"{\"\"discount\"\":\"\"50\"%\"\"\",\"\"note\"\":\"\"{note}\"\"}\"";
        JsonNode imported = LambdaEvents.invoke(event("import", curl));
        assertEquals("{\"discount\":\"50%\",\"note\":\"{note}\"}",
                imported.get("step").get("request").get("body").get("content").textValue(), imported.toString());
        JsonNode result = LambdaEvents.invoke(event("run", curl));
        assertEquals("success", result.get("branch").asText(), result.toString());
        JsonNode body = LambdaEvents.read(api.findAll(anyRequestedFor(anyUrl())).get(0).getBodyAsString());
        assertEquals("50%", body.get("discount").textValue());
        assertEquals("He said \"hi\"", body.get("note").textValue());
    }

    @Test
    void aControlCharacterWrittenAsTheExportWritesItImportsAsThatCharacter() {
        String curl = "curl '" + DemoApi.base(api) + "/notes' -H 'Content-Type: text/plain'"
                + " --data-raw 'tab'\"$(printf '\\011')\"'esc'\"$(printf '\\33')\"'del'\"$(printf '\\177')\"'^\"x\"'";
        JsonNode imported = LambdaEvents.invoke(event("import", curl));
        assertEquals("success", imported.get("branch").asText(), imported.toString());
        assertEquals("tab\tesc\u001bdel\u007f^\"x\"",
                imported.get("step").get("request").get("body").get("content").textValue(), imported.toString());
    }

    @Test
    void aCommandPastTheImportsCapsIsAnInvalidStepNamingTheCommand() {
        for (String curl : List.of("curl https://x" + " -F a=b".repeat(1_001), "curl https://x" + " -k".repeat(51),
                "curl https://x -F 'a=b" + ";x".repeat(9) + "'")) {
            JsonNode result = LambdaEvents.invoke(event("import", curl));
            assertEquals("INVALID_STEP", result.get("error").get("code").asText(), result.toString());
            assertEquals("step.request.curl", result.get("error").get("reason").asText());
        }
    }
}
