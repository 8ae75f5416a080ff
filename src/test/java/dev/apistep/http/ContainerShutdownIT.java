package dev.apistep.http;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.ContainerFunction;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.StepEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged container build as an orchestrator runs it: started with {@code java -jar}, asked to stop
 * (SIGTERM) while a step is waiting on a slow API; the step still answers, then the process ends.
 */
class ContainerShutdownIT {

    private static final Path LOG = Path.of("target", "container", "container-function.log");

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @Test
    void anInFlightStepFinishesWhenTheProcessIsAskedToStop() throws Exception {
        api.stubFor(get(urlPathEqualTo("/slow")).willReturn(okJson("{\"done\": true}").withFixedDelay(3_000)));
        try (ContainerFunction function = ContainerFunction.start(List.of("-Dapi-step.allowed-destinations=127.0.0.1",
                "-Dapi-step.anonymous-callers=true"), LOG)) {
            String event = StepEvents.step("GET", DemoApi.base(api) + "/slow").json().toString();
            CompletableFuture<HttpResponse<String>> answer = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create(function.url()))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitCallAtTheApi();
            boolean ended = function.stopAndWait(30);
            HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals("success", LambdaEvents.read(response.body()).get("branch").asText(), response.body());
            assertTrue(ended, "the process ends once its steps are done");
            assertTrue(java.nio.file.Files.readString(LOG).contains("API_STEP_ANONYMOUS_CALLERS=true: HTTP requests are admitted"),
                    "anonymous callers are announced at start");
        }
    }

    /** Up to 30 s: a cold JVM's first step on a loaded machine. */
    private static void awaitCallAtTheApi() throws InterruptedException {
        for (int attempt = 0; attempt < 600; attempt++) {
            if (!api.findAll(getRequestedFor(urlPathEqualTo("/slow"))).isEmpty()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the step never reached the API");
    }
}
