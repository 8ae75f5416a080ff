package dev.apistep.support;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.LosslessJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Sends step events through the real Lambda event path: the Quarkus mock event server that the function's
 * poll loop reads from in test mode, exactly as the Runtime API feeds it in AWS.
 */
public final class LambdaEvents {

    public static final ObjectMapper JSON = LosslessJson.newMapper();

    private LambdaEvents() {
    }

    /** The mock event server's address: its port is chosen when the test application starts. */
    private static String mockEventServer() {
        int port = ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
        return "http://localhost:" + port + "/_lambda_";
    }

    /** Posts a raw event body and returns the function's answer as JSON. */
    public static JsonNode invokeRaw(String event) {
        String answer = given().contentType("application/json").body(event)
                .when().post(mockEventServer())
                .then().statusCode(200)
                .extract().asString();
        return read(answer);
    }

    public static JsonNode invoke(JsonNode event) {
        return invokeRaw(event.toString());
    }

    /** An event from {@code src/test/resources/events/NAME.json}, with {@code ${key}} replaced by the values given. */
    public static ObjectNode fixture(String name, Map<String, String> values) {
        try (InputStream in = LambdaEvents.class.getResourceAsStream("/events/" + name + ".json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> value : values.entrySet()) {
                text = text.replace("${" + value.getKey() + "}", value.getValue());
            }
            return (ObjectNode) read(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
