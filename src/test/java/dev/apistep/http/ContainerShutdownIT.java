package dev.apistep.http;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.StepEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged container build as an orchestrator runs it: started with {@code java -jar}, asked to stop
 * (SIGTERM) while a step is waiting on a slow API; the step still answers, then the process ends.
 */
class ContainerShutdownIT {

    private static final Path JAR = Path.of("target", "container", "quarkus-app", "quarkus-run.jar");
    private static final Path LOG = Path.of("target", "container", "container-function.log");
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:]+:(\\d+)");

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @Test
    void anInFlightStepFinishesWhenTheProcessIsAskedToStop() throws Exception {
        api.stubFor(get(urlPathEqualTo("/slow")).willReturn(okJson("{\"done\": true}").withFixedDelay(3_000)));
        Process function = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0", "-Dapi-step.allowed-destinations=127.0.0.1", "-jar", JAR.toString()))
                .redirectErrorStream(true).redirectOutput(LOG.toFile()).start();
        try {
            int port = listeningPort();
            String event = StepEvents.step("GET", DemoApi.base(api) + "/slow").json().toString();
            CompletableFuture<HttpResponse<String>> answer = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitCallAtTheApi();
            function.destroy();
            HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals("success", LambdaEvents.read(response.body()).get("branch").asText(), response.body());
            assertTrue(function.waitFor(30, TimeUnit.SECONDS), "the process ends once its steps are done");
        } finally {
            function.destroyForcibly();
        }
    }

    private static int listeningPort() throws Exception {
        for (int attempt = 0; attempt < 300; attempt++) {
            Matcher matcher = LISTENING.matcher(Files.exists(LOG) ? Files.readString(LOG) : "");
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the container build did not start: " + Files.readString(LOG));
    }

    private static void awaitCallAtTheApi() throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            if (!api.findAll(getRequestedFor(urlPathEqualTo("/slow"))).isEmpty()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the step never reached the API");
    }
}
