package dev.apistep.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import dev.apistep.support.JsonReferences;
import dev.apistep.support.LambdaEvents;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Container mode publishes its interface: GET /openapi is docs/openapi.json, and every schema it refers to is
 * served where its relative reference points, as the files in docs/schema; a real answer of POST / is valid for
 * the result schema loaded from that address.
 */
@QuarkusTest
class OpenApiOverHttpTest extends FunctionOverHttp {

    @TestHTTPResource("/openapi")
    URL description;

    @Test
    void theServedDescriptionIsThePublishedOne() throws IOException {
        assertEquals(LambdaEvents.read(Files.readString(Path.of("docs", "openapi.json"))), served());
    }

    @Test
    void everyReferenceResolvesToTheServedSchema() throws IOException {
        List<String> references = JsonReferences.in(served());
        assertFalse(references.isEmpty());
        for (String reference : references) {
            String file = reference.contains("#") ? reference.substring(0, reference.indexOf('#')) : reference;
            URI address = URI.create(description.toString()).resolve(file);
            JsonNode schema = LambdaEvents.read(given().when().get(address).then().statusCode(200)
                    .contentType("application/json").extract().asString());
            assertEquals(LambdaEvents.read(Files.readString(Path.of("docs").resolve(file))), schema, reference);
            String pointer = reference.contains("#") ? reference.substring(reference.indexOf('#') + 1) : "";
            assertFalse(schema.at(pointer).isMissingNode(), reference);
        }
    }

    @Test
    void anAnswerIsValidForTheServedResultSchema() {
        URI resultSchema = URI.create(description.toString()).resolve("schema/step-result.schema.json");
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of(resultSchema.toString()));
        String answer = given().contentType("application/json")
                .body("{\"mode\": \"render\", \"step\": {\"request\": {\"url\": \"https://api.example/orders/{order}\"}}, \"variables\": {\"order\": \"A-17\"}}")
                .when().post(URI.create(description.toString()).resolve("/")).then().statusCode(200).extract().asString();
        JsonNode result = LambdaEvents.read(answer);
        assertEquals("https://api.example/orders/A-17", result.at("/request/url").asText(), answer);
        assertTrue(schema.validate(result).isEmpty(), () -> schema.validate(result).toString());
        JsonNode wrong = result.deepCopy();
        ((ObjectNode) wrong).put("branch", "sideways");
        assertFalse(schema.validate(wrong).isEmpty(), "a branch the contract does not name is refused");
    }

    private JsonNode served() {
        return LambdaEvents.read(given().queryParam("format", "json").when().get(description).then().statusCode(200)
                .extract().asString());
    }
}
