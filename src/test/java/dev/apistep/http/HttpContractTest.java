package dev.apistep.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.contract.ContractCases;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LogCapture;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's cases through the HTTP binding, on {@code POST /}; the named path answers the same. */
@QuarkusTest
class HttpContractTest extends ContractCases {

    /** The function's own HTTP server, on the free port the test profile gives it. */
    @TestHTTPResource("/")
    URL root;

    /** REST Assured is pointed at the function's HTTP server explicitly in this build. */
    @org.junit.jupiter.api.BeforeEach
    void pointRestAssuredAtTheFunction() {
        io.restassured.RestAssured.port = root.getPort();
    }

    @Override
    protected JsonNode invokeRaw(String event) {
        return LambdaEvents.read(given().contentType("application/json").body(event)
                .when().post(root).then().statusCode(200).extract().asString());
    }

    @Test
    void theFunctionsNamedPathIsTheSameFunction() {
        String event = "{\"step\": {\"request\": {\"url\": \"https://{host}/x\"}}}";
        String named = given().contentType("application/json").body(event).when().post(root.toString().replaceAll("/$", "") + StepRoutes.FUNCTION_PATH)
                .then().statusCode(200).extract().asString();
        assertEquals(withoutDuration(invokeRaw(event)), withoutDuration(LambdaEvents.read(named)));
    }

    /**
     * The result less its {@code durationMs}: how long a call took is measured, not answered, and two calls of the
     * same step differ in it (0 ms one time, a few ms the next when a collection or another thread gets in the way).
     */
    private static JsonNode withoutDuration(JsonNode result) {
        assertTrue(result.path("durationMs").isIntegralNumber(), result.toString());
        ObjectNode rest = result.deepCopy();
        rest.remove("durationMs");
        return rest;
    }

    /** On Lambda the packaged handler answers this (PackagedFunctionIT); here the binding's routes do. */
    @Test
    void anEventThatIsNotJsonGetsAResult() {
        JsonNode result = invokeRaw("{not json");
        assertEquals("failure", result.get("branch").asText());
        assertEquals("INVALID_EVENT", result.at("/error/code").asText());
    }

    /** Funqy would log the token it could not read; a caller's secret in a broken body must not reach the log. */
    @Test
    void anUnreadableBodyAtTheNamedPathIsAnsweredWithoutLoggingIt() {
        String canary = "s3cr3t-canary-7f1e";
        List<String> lines;
        String answer;
        try (LogCapture capture = LogCapture.start()) {
            answer = given().contentType("application/json").body("{\"api_token\": " + canary + "}")
                    .when().post(root.toString().replaceAll("/$", "") + StepRoutes.FUNCTION_PATH)
                    .then().statusCode(200).extract().asString();
            lines = capture.lines();
        }
        assertEquals("INVALID_EVENT", LambdaEvents.read(answer).at("/error/code").asText(), answer);
        assertTrue(lines.stream().noneMatch(line -> line.contains(canary)), lines.toString());
    }

    /**
     * An event past the 6 MiB bound, at both paths, and one past Quarkus' own body limit (10 MiB): 413 with a result
     * naming the limit, never a bare 413 or a step.
     */
    @Test
    void anEventLargerThanTheEventLimitGetsAResultNamingIt() {
        for (int size : List.of(dev.apistep.core.LosslessJson.MAX_EVENT_BYTES, 11 * 1024 * 1024)) {
            String event = "{\"step\": {\"request\": {\"url\": \"https://h.test\"}}, \"variables\": {\"b64\": \""
                    + "A".repeat(size) + "\"}}";
            for (String path : List.of("/", StepRoutes.FUNCTION_PATH)) {
                String answer = given().contentType("application/json").body(event)
                        .when().post(root.toString().replaceAll("/$", "") + path).then().statusCode(413).extract().asString();
                JsonNode result = LambdaEvents.read(answer);
                assertEquals("INVALID_EVENT", result.at("/error/code").asText(), size + " at " + path + ": " + answer);
                assertTrue(result.at("/error/message").asText().contains(dev.apistep.core.LosslessJson.MAX_EVENT_BYTES + " bytes"), answer);
            }
        }
    }
}
