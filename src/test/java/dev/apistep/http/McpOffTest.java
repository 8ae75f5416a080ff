package dev.apistep.http;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Without API_STEP_MCP_TOKENS (the shared test application, which admits anonymous callers at {@code POST /}) there is
 * no MCP server: {@code /mcp} answers 404 to every method, with or without a bearer token.
 */
@QuarkusTest
class McpOffTest extends FunctionOverHttp {

    private static final String INITIALIZE = "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\":"
            + " {\"protocolVersion\": \"2025-06-18\", \"capabilities\": {}, \"clientInfo\": {\"name\": \"raw\", \"version\": \"1\"}}}";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "Bearer any-token"})
    void mcpIsNotThere(String authorization) {
        String url = root.toString().replaceAll("/$", "") + "/mcp";
        var request = given().contentType("application/json").accept("application/json, text/event-stream").body(INITIALIZE);
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        request.when().post(url).then().statusCode(404);
        given().when().get(url).then().statusCode(404);
        given().when().delete(url).then().statusCode(404);
        given().when().get(url + "/sse").then().statusCode(404);
    }
}
