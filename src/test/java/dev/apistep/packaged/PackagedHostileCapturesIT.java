package dev.apistep.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.HostileDocuments;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LocalRuntimeApi;
import dev.apistep.support.PackagedFunction;
import dev.apistep.support.StepEvents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 23, classes 4 and 5, through the packaged jar under AWS's runtime interface client with a 128 MB heap:
 * captures that would copy or repeat a body within every parser limit ({@code xpath://*} over 199,001 elements,
 * a {@code concat} of a 3.9 MB text, {@code $..*} over a deep chain) are unresolved with a warning and their
 * default, never an OutOfMemoryError or a function error, and the next event is served.
 */
class PackagedHostileCapturesIT {

    private static final String TIGHT_HEAP = "-Xmx128m";
    private static final int TIMEOUT_MS = 5000;

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();
    private static LocalRuntimeApi runtime;
    private static PackagedFunction function;

    @BeforeAll
    static void start() throws Exception {
        runtime = new LocalRuntimeApi();
        List<String> options = new ArrayList<>(PackagedFunction.LAMBDA_JVM_OPTIONS);
        options.add(TIGHT_HEAP);
        function = PackagedFunction.start(runtime.address(), "127.0.0.1", options,
                Path.of("target", "packaged-hostile-captures.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        function.close();
        runtime.close();
    }

    @BeforeEach
    void script() {
        HostileDocuments.serve(api);
    }

    @ParameterizedTest(name = "{1} over {0}")
    @CsvSource(delimiter = '|', textBlock = """
            /deep-xml  | xpath://*
            /deep-xml  | xpath://node()
            /huge-text | xpath:concat(/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/,/)
            /huge-text | xpath:string(//*)
            /deep-json | $..*
            """)
    void aCaptureThatWouldExhaustTheHeapIsUnresolvedAndTheNextEventIsServed(String resource, String path) throws Exception {
        for (String mode : List.of("run", "test")) {
            String event = StepEvents.step("GET", DemoApi.base(api) + resource).mode(mode)
                    .options("{\"timeoutMs\": " + TIMEOUT_MS + ", \"maxResponseBytes\": " + HostileDocuments.MAX_RESPONSE_BYTES + "}")
                    .capture("[{\"variable\": \"v\", \"path\": \"" + path + "\", \"default\": \"none\"}]")
                    .json().toString();
            JsonNode result = LambdaEvents.read(runtime.invokeAndWait(event, 30_000));
            assertEquals("success", result.get("branch").asText(), mode + ": " + result.get("warnings"));
            assertEquals("none", result.get("variables").get("v").asText(), mode + ": " + result.get("warnings"));
            assertTrue(StreamSupport.stream(result.get("warnings").spliterator(), false).map(JsonNode::asText)
                    .anyMatch(warning -> warning.startsWith("capture 'v': path " + path + " ")
                            && (warning.contains(" more than ") || warning.contains("stopped at the step's deadline"))),
                    mode + ": " + result.get("warnings"));
        }
        JsonNode next = LambdaEvents.read(runtime.invokeAndWait(
                StepEvents.step("GET", DemoApi.base(api) + "/small").json().toString(), 30_000));
        assertEquals("success", next.get("branch").asText(), "the instance still serves steps: " + next);
    }
}
