package dev.apistep.http;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Past the bound on concurrent steps, callers get a fast 503 with a failure result; nothing is queued or lost. */
@QuarkusTest
@TestProfile(ConcurrencyBoundTest.TwoSteps.class)
class ConcurrencyBoundTest extends FunctionOverHttp {

    public static class TwoSteps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("api-step.http.max-concurrent-steps", "2");
        }
    }

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();


    @BeforeEach
    void script() {
        api.stubFor(get(urlPathEqualTo("/slow")).willReturn(okJson("{}").withFixedDelay(1_500)));
        api.stubFor(get(urlPathEqualTo("/fast")).willReturn(okJson("{}")));
    }

    @Test
    void stepsPastTheBoundAreRefusedAtOnceAndTheSlotsComeBack() throws Exception {
        String slow = StepEvents.step("GET", DemoApi.base(api) + "/slow")
                .variables("{\"order_id\": \"A-17\", \"total\": 12345678901234567890.10}").json().toString();
        ExecutorService callers = Executors.newFixedThreadPool(6);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                answers.add(callers.submit(() -> given().contentType("application/json").body(slow).when().post(root)));
            }
            int ran = 0;
            int refused = 0;
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                if (response.statusCode() == 503) {
                    refused++;
                    assertEquals("1", response.header("Retry-After"));
                    var result = LambdaEvents.read(response.asString());
                    assertEquals("failure", result.get("branch").asText());
                    assertEquals("RATE_LIMITED", result.at("/error/code").asText());
                    assertEquals("CONCURRENCY", result.at("/error/reason").asText());
                    assertTrue(result.at("/error/retryable").booleanValue());
                    assertEquals("A-17", result.at("/variables/order_id").asText(), "nothing lost: the variables come back");
                    assertTrue(response.asString().contains("12345678901234567890.10"), response.asString());
                } else {
                    ran++;
                    assertEquals(200, response.statusCode());
                    assertEquals("success", LambdaEvents.read(response.asString()).get("branch").asText());
                }
            }
            assertEquals(6, ran + refused);
            assertTrue(ran >= 2 && refused >= 1, "ran " + ran + ", refused " + refused);
        } finally {
            callers.shutdownNow();
        }
        String fast = StepEvents.step("GET", DemoApi.base(api) + "/fast").json().toString();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, given().contentType("application/json").body(fast).when().post(root).statusCode(),
                    "every slot was given back");
        }
    }
}
