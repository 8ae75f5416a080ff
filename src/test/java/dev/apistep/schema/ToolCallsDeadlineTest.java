package dev.apistep.schema;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several tool calls in one event (contract §8) share the invocation's time, through the function's real stages: once
 * a slow first call has spent it, the others are answered TIMEOUT without running, within the invocation.
 */
class ToolCallsDeadlineTest {

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();
    private static PlainPipeline pipeline;

    @BeforeAll
    static void start() {
        pipeline = new PlainPipeline();
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @Test
    void callsThatDoNotFitTheInvocationAreNotRun() throws Exception {
        api.stubFor(get(urlPathMatching("/slow/.*")).willReturn(okJson("{\"answer\": 42}").withFixedDelay(5_000)));
        String call = "{'type': 'tool_use', 'id': 'ID', 'name': 'slow', 'input': {'q': 'Q'}}";
        JsonNode event = PlainPipeline.JSON.readTree(("{'step': {'request': {'url': '" + DemoApi.base(api) + "/slow/{q}'},"
                + " 'capture': [{'variable': 'answer', 'path': 'response.answer'}], 'tool': {'name': 'slow', 'description': 'd'}},"
                + " 'toolCall': [" + call.replace("ID", "a").replace("Q", "1") + ", " + call.replace("ID", "b").replace("Q", "2")
                + ", " + call.replace("ID", "c").replace("Q", "3") + "]}").replace('\'', '"'));
        long started = System.nanoTime();
        JsonNode replies = pipeline.answer(event, 1_500);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        for (int i = 0; i < 3; i++) {
            assertTrue(replies.at("/" + i + "/content").asText().startsWith("Error TIMEOUT"), replies.toString());
        }
        // Each call on its own would be given the invocation's whole time again: three of them would take ~3 s.
        assertTrue(tookMs < 1_500, "answered within the invocation's time: " + tookMs + " ms");
    }
}
