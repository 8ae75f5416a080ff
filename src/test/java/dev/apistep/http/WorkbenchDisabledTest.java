package dev.apistep.http;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Without {@code api-step.workbench.enabled}, as in every deployment template, there is no workbench page. */
@QuarkusTest
class WorkbenchDisabledTest extends FunctionOverHttp {

    @Test
    void theWorkbenchIsNotServedByDefault() {
        for (String path : new String[] {"/workbench", "/workbench/", "/workbench/main.js", "/workbench/index.html"}) {
            given().redirects().follow(false).when().get(path).then().statusCode(404);
        }
    }
}
