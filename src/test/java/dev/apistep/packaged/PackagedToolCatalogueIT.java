package dev.apistep.packaged;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LocalRuntimeApi;
import dev.apistep.support.PackagedFunction;
import dev.apistep.support.ToolCatalogueProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tool catalogue (contract §8, {@code API_STEP_CATALOG}) in the packaged artifact as AWS runs it: the function reads
 * the directory it is given at start and answers tool calls and {@code mode: tools} from it; a bad entry stops it
 * before it answers anything, with the file and the field named.
 */
class PackagedToolCatalogueIT {

    private static final WireMockServer API = ToolCatalogueProfile.api();

    private static PackagedFunction start(LocalRuntimeApi runtime, String catalogue, Path log) throws IOException {
        return PackagedFunction.start(runtime.address(), "127.0.0.1", PackagedFunction.LAMBDA_JVM_OPTIONS, log,
                Map.of("API_STEP_CATALOG", catalogue, "API_STEP_SECRET_ORDER_API_TOKEN", ToolCatalogueProfile.ORDER_API_TOKEN));
    }

    private static JsonNode invoke(LocalRuntimeApi runtime, String event) throws Exception {
        return LambdaEvents.read(runtime.invokeAndWait(event.replace('\'', '"'), 30_000));
    }

    @Test
    void answersAnAnthropicToolUseAndModeToolsFromTheCatalogueItWasGiven() throws Exception {
        API.resetAll();
        API.stubFor(get(urlPathEqualTo("/orders/A-17")).willReturn(okJson("{\"status\": \"shipped\"}")));
        try (LocalRuntimeApi runtime = new LocalRuntimeApi();
                PackagedFunction function = start(runtime, ToolCatalogueProfile.catalogue().toString(),
                        Path.of("target", "packaged-tool-catalogue.log"))) {
            JsonNode reply = invoke(runtime, "{'toolCall': {'type': 'tool_use', 'id': 'toolu_7', 'name': 'get_order_status',"
                    + " 'input': {'order_id': 'A-17'}}, 'variables': {'agent_id': 'ag-7'}}");
            assertEquals("tool_result", reply.get("type").asText(), reply.toString());
            assertEquals("toolu_7", reply.get("tool_use_id").asText());
            assertEquals("Order A-17 is shipped.", reply.get("content").asText());
            assertFalse(reply.get("is_error").booleanValue());
            List<LoggedRequest> sent = API.findAll(anyRequestedFor(anyUrl()));
            assertEquals(1, sent.size());
            assertEquals("Bearer " + ToolCatalogueProfile.ORDER_API_TOKEN, sent.get(0).getHeader("Authorization"),
                    "the entry's {secret:order-api-token}, resolved from the function's environment");
            assertEquals("ag-7", sent.get(0).getHeader("X-Agent"));

            JsonNode tools = invoke(runtime, "{'mode': 'tools', 'variables': {'agent_id': 'ag-7'}}");
            assertEquals("success", tools.get("branch").asText(), tools.toString());
            assertEquals(List.of("add_order_note", "get_order_status", "slow_lookup"),
                    tools.at("/tools/anthropic").findValuesAsText("name"));
            assertEquals("^A-[0-9]{1,8}$", tools.at("/tools/anthropic/1/input_schema/properties/order_id/pattern").asText(),
                    tools.at("/tools/anthropic/1").toString());
            assertEquals(List.of("add_order_note", "get_order_status", "slow_lookup"),
                    tools.at("/tools/mcp").findValuesAsText("name"));
        }
    }

    /** The SAM templates' default: {@code API_STEP_CATALOG} set but empty is no catalogue, not a failure. */
    @Test
    void anEmptySettingIsNoCatalogue() throws Exception {
        try (LocalRuntimeApi runtime = new LocalRuntimeApi();
                PackagedFunction function = start(runtime, "", Path.of("target", "packaged-no-catalogue.log"))) {
            JsonNode tools = invoke(runtime, "{'mode': 'tools'}");
            assertEquals("success", tools.get("branch").asText(), tools.toString());
            assertEquals(0, tools.at("/tools/anthropic").size(), tools.toString());
            assertTrue(tools.get("warnings").toString().contains("API_STEP_CATALOG"), tools.toString());
        }
    }

    /**
     * One bad entry among good ones: the function does not start; what the runtime is told (and the log) names the file
     * and the field, and never the credential written into the file.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"name\": \"get_order_status\"      | \"name\": \"get order status\"  | step.tool.name",
        "\"token\": \"{secret:order-api-token}\" | \"token\": \"sk-live-4f9a2c7e\" | step.auth.token"})
    void aBadEntryStopsTheFunctionNamingTheFileAndTheField(String good, String bad, String field, @TempDir Path catalogue)
            throws Exception {
        copyCatalogue(catalogue);
        Path entry = catalogue.resolve("get-order-status.json");
        String text = Files.readString(entry);
        assertTrue(text.contains(good), good);
        Files.writeString(entry, text.replace(good, bad));
        API.resetAll();
        Path log = Path.of("target", "packaged-bad-catalogue-" + field + ".log");
        try (LocalRuntimeApi runtime = new LocalRuntimeApi();
                PackagedFunction function = start(runtime, catalogue.toString(), log)) {
            var answer = runtime.invoke("{\"mode\": \"tools\"}", 30_000);
            // The init error (what `aws lambda invoke` shows) names the setting, the file and the field, as the log does.
            JsonNode error = LambdaEvents.read(runtime.initError().get(60, TimeUnit.SECONDS));
            assertTrue(error.path("errorMessage").asText().startsWith("API_STEP_CATALOG: get-order-status.json: " + field + " "),
                    error.toString());
            ExecutionException unanswered = assertThrows(ExecutionException.class, () -> answer.get(10, TimeUnit.SECONDS));
            assertTrue(unanswered.getCause().getMessage().startsWith("init error: "), unanswered.toString());
            long waitUntil = System.currentTimeMillis() + 10_000;
            while (function.isAlive() && System.currentTimeMillis() < waitUntil) {
                Thread.sleep(50);
            }
            assertFalse(function.isAlive(), "the function stopped");
            String output = Files.readString(log);
            assertTrue(output.contains("API_STEP_CATALOG: get-order-status.json: " + field + " "), output);
            assertFalse(error.toString().contains("sk-live-4f9a2c7e") || output.contains("sk-live-4f9a2c7e"),
                    "the credential is not repeated");
        }
        assertEquals(0, API.findAll(anyRequestedFor(anyUrl())).size());
    }

    private static void copyCatalogue(Path target) throws IOException {
        try (Stream<Path> entries = Files.list(ToolCatalogueProfile.catalogue())) {
            for (Path entry : entries.toList()) {
                Files.copy(entry, target.resolve(entry.getFileName()));
            }
        }
    }

    /**
     * The zip route (infra/README.md, Tool catalogue): what src/main/zip.jvm (zip.native for the native build) holds,
     * catalog/ included, Quarkus puts at the root of target/function.zip, which Lambda extracts to /var/task.
     */
    @Test
    void functionZipHoldsTheCatalogueDirectory() throws IOException {
        Path shipped = Path.of("src", "main", PackagedFunction.isNative() ? "zip.native" : "zip.jvm");
        List<String> files;
        try (Stream<Path> walk = Files.walk(shipped)) {
            files = walk.filter(Files::isRegularFile)
                    .map(file -> shipped.relativize(file).toString().replace('\\', '/')).toList();
        }
        assertTrue(files.stream().anyMatch(file -> file.startsWith("catalog/")), files.toString());
        try (ZipFile zip = new ZipFile(Path.of("target", "function.zip").toFile())) {
            for (String file : files) {
                assertTrue(zip.getEntry(file) != null, file + " is not in function.zip");
            }
        }
    }
}
