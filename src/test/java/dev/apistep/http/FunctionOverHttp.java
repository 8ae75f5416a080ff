package dev.apistep.http;

import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.RestAssured;
import java.net.URL;
import org.junit.jupiter.api.BeforeEach;

/** A test of container mode: the function's own HTTP server, and REST Assured pointed at it. */
abstract class FunctionOverHttp {

    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void pointRestAssuredAtTheFunction() {
        RestAssured.port = root.getPort();
    }
}
