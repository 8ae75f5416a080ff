package dev.apistep.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An API that echoes the request, as httpbin's /anything and many debug endpoints do, in its body and in
 * its response headers: a test trace shows the echo, never a secret the step sent.
 */
@QuarkusTest
class EchoedSecretsTest {

    private static final String TOKEN = "echo-canary-token-5e6f";
    private static final String USER = "echo-user";
    private static final String PASSWORD = "echo-canary-pass-7a8b";
    private static final String API_KEY = "echo-canary-apikey-9c0d";
    private static final String MASKED_HEADER = "echo-canary-authtoken-1e2f";
    /** The value of {@code API_STEP_SECRET_CRM_TOKEN} in the test environment (pom.xml). */
    private static final String SECRET_REFERENCE = "env-secret-4a5b";

    private static HttpServer echo;

    @BeforeAll
    static void startEcho() throws IOException {
        echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        echo.createContext("/anything", exchange -> {
            ObjectNode body = LambdaEvents.JSON.createObjectNode();
            body.put("url", exchange.getRequestURI().toString());
            body.put("method", exchange.getRequestMethod());
            ObjectNode headers = body.putObject("headers");
            for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
                headers.put(header.getKey(), String.join(", ", header.getValue()));
                exchange.getResponseHeaders().add("X-Echo-" + header.getKey(), String.join(", ", header.getValue()));
            }
            body.put("data", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        echo.start();
    }

    @AfterAll
    static void stopEcho() {
        echo.stop(0);
    }

    private static String url(String query) {
        return "http://127.0.0.1:" + echo.getAddress().getPort() + "/anything" + query;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            bearer           | '{"type": "bearer", "token": "echo-canary-token-5e6f"}'
            bearer-reference | '{"type": "bearer", "token": "{secret:crm-token}"}'
            basic            | '{"type": "basic", "username": "echo-user", "password": "echo-canary-pass-7a8b"}'
            api-key-header   | '{"type": "apiKey", "in": "header", "name": "X-Custom", "value": "echo-canary-apikey-9c0d"}'
            api-key-query    | '{"type": "apiKey", "in": "query", "name": "k", "value": "echo-canary-apikey-9c0d"}'
            """)
    void noSecretTheStepSentComesBackInTheResponseTrace(String name, String auth) {
        JsonNode result = StepEvents.step("POST", url("?page=1"))
                .mode("test")
                .header("X-Auth-Token", MASKED_HEADER)
                .request("body", "{\"type\": \"text\", \"content\": \"hello\"}")
                .stepField("auth", auth)
                .invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        String shown = result.toString();
        assertTrue(result.get("response").get("body").asText().contains("\"data\":\"hello\""), "the echo is shown: " + shown);
        for (String secret : List.of(TOKEN, PASSWORD, API_KEY, MASKED_HEADER, SECRET_REFERENCE,
                USER + ":" + PASSWORD, Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))) {
            assertFalse(shown.contains(secret), name + " shows " + secret + ": " + shown);
        }
    }

    @org.junit.jupiter.api.Test
    void aBasicCredentialTypedAsAHeaderIsMaskedInEveryForm() {
        String encoded = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        JsonNode result = StepEvents.step("GET", url("")).mode("test").header("Authorization", "Basic " + encoded)
                .invoke();
        String shown = result.toString();
        assertFalse(shown.contains(encoded), shown);
        assertFalse(shown.contains(PASSWORD), shown);
        assertTrue(shown.contains("***"), shown);
    }
}
