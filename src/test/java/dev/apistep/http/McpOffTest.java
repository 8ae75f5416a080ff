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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "Bearer any-token"})
    void mcpIsNotThere(String authorization) {
        String url = McpOverHttpTest.mcpUrl(root);
        McpOverHttpTest.initialize(root, authorization.isEmpty() ? null : authorization, null).then().statusCode(404);
        given().when().get(url).then().statusCode(404);
        given().when().delete(url).then().statusCode(404);
        given().when().get(url + "/sse").then().statusCode(404);
    }
}
