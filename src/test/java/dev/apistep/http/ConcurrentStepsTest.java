package dev.apistep.http;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.StepEvents;
import dev.apistep.support.TestPki;
import dev.apistep.support.TlsServer;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many steps in one process at once, as container mode runs them: 240 parallel steps, a quarter each
 * succeeding, timing out, calling over TLS with the step's own CA, and retrying a 503; every one answers
 * with its own result (no mix-up between concurrent steps, no lost answer).
 */
@QuarkusTest
class ConcurrentStepsTest extends FunctionOverHttp {

    private static final int STEPS = 240;



    @RegisterExtension
    static final WireMockExtension api = WireMockExtension.newInstance().options(options().bindAddress("127.0.0.1")
            .dynamicPort().containerThreads(300).asynchronousResponseEnabled(true).asynchronousResponseThreads(20)).build();
    private static TestPki.Identity authority;
    private static TlsServer tls;

    @BeforeAll
    static void startTls() throws Exception {
        authority = TestPki.authority("CN=Concurrency CA");
        tls = new TlsServer(TestPki.server(authority, "localhost"), null);
    }

    @AfterAll
    static void stopTls() {
        tls.close();
    }

    private enum Kind { SUCCESS, TIMEOUT, TLS, RETRIED }

    private static ObjectNode event(Kind kind, int index) {
        String base = "http://127.0.0.1:" + api.getPort();
        return switch (kind) {
            case SUCCESS -> StepEvents.step("GET", base + "/echo/" + index)
                    .capture("[{\"variable\": \"echoed\", \"path\": \"index\"}]").json();
            case TIMEOUT -> StepEvents.step("GET", base + "/slow").options("{\"timeoutMs\": 300}").json();
            case RETRIED -> StepEvents.step("GET", base + "/unavailable")
                    .options("{\"retry\": {\"maxAttempts\": 2, \"initialDelayMs\": 10, \"maxDelayMs\": 20}}").json();
            case TLS -> {
                ObjectNode step = StepEvents.step("GET", tls.url("localhost")).json();
                step.with("step").putObject("tls").put("caCertificates", authority.certificatePem());
                yield step;
            }
        };
    }

    @Test
    void everyParallelStepGetsItsOwnAnswer() throws Exception {
        for (int i = 0; i < STEPS; i++) {
            api.stubFor(get(urlPathEqualTo("/echo/" + i)).willReturn(okJson("{\"index\": " + i + "}")));
        }
        api.stubFor(get(urlPathEqualTo("/slow")).willReturn(okJson("{}").withFixedDelay(3_000)));
        api.stubFor(get(urlPathEqualTo("/unavailable")).willReturn(okJson("{}").withStatus(503)));
        ExecutorService callers = Executors.newFixedThreadPool(STEPS);
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < STEPS; i++) {
                String event = event(Kind.values()[i % Kind.values().length], i).toString();
                Callable<JsonNode> call = () -> LambdaEvents.read(given().contentType("application/json").body(event)
                        .when().post(root).then().statusCode(200).extract().asString());
                answers.add(callers.submit(call));
            }
            for (int i = 0; i < STEPS; i++) {
                JsonNode result = answers.get(i).get();
                switch (Kind.values()[i % Kind.values().length]) {
                    case SUCCESS -> assertEquals(i, result.at("/changes/echoed").intValue(), result.toString());
                    case TIMEOUT -> assertEquals("TIMEOUT", result.at("/error/code").asText(), result.toString());
                    case TLS -> assertEquals("success", result.get("branch").asText(), result.toString());
                    case RETRIED -> {
                        assertEquals("HTTP_STATUS", result.at("/error/code").asText(), result.toString());
                        assertEquals(2, result.get("attempts").intValue(), result.toString());
                    }
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
