package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Redirects of each code, as the second server sees the follow-up request. The two servers are two
 * origins: 127.0.0.1 and localhost on different ports.
 */
@QuarkusTest
class RedirectTest {

    @RegisterExtension
    static final WireMockExtension first = DemoApi.server();
    @RegisterExtension
    static final WireMockExtension second = DemoApi.server();

    @BeforeEach
    void landingPages() {
        second.stubFor(any(urlPathEqualTo("/target")).willReturn(okJson("{\"landed\": true}")));
        first.stubFor(any(urlPathEqualTo("/target")).willReturn(okJson("{\"landed\": \"same-origin\"}")));
    }

    private static void redirect(int status, String location) {
        first.stubFor(any(urlPathEqualTo("/start")).willReturn(aResponse().withStatus(status).withHeader("Location", location)));
    }

    private static LoggedRequest only(WireMockExtension server, String path) {
        List<LoggedRequest> requests = server.findAll(anyRequestedFor(urlPathEqualTo(path)));
        assertEquals(1, requests.size());
        return requests.get(0);
    }

    private static JsonNode postWithCredentials() {
        return StepEvents.step("POST", DemoApi.base(first) + "/start")
                .header("Cookie", "session=abc").header("X-Keep", "yes")
                .stepField("auth", "{\"type\": \"bearer\", \"token\": \"secret-token\"}")
                .request("body", "{\"type\": \"json\", \"content\": {\"a\": 1}}")
                .capture("[{\"variable\": \"landed\", \"path\": \"landed\"}]")
                .invoke();
    }

    @ParameterizedTest(name = "{0} after POST is followed with {1}")
    @CsvSource(textBlock = """
            301, GET
            302, GET
            303, GET
            307, POST
            308, POST
            """)
    void followsEachRedirectCodeWithTheRightMethod(int status, String method) {
        redirect(status, "http://localhost:" + second.getPort() + "/target");
        JsonNode result = postWithCredentials();
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals(true, result.get("variables").get("landed").booleanValue());
        LoggedRequest followed = only(second, "/target");
        assertEquals(method, followed.getMethod().getName());
        assertEquals(method.equals("POST") ? "{\"a\":1}" : "", followed.getBodyAsString());
        assertNull(followed.getHeader("Authorization"), "credentials never cross origins");
        assertNull(followed.getHeader("Cookie"));
        assertEquals("yes", followed.getHeader("X-Keep"));
    }

    @Test
    void aSameOriginRedirectKeepsCredentials() {
        redirect(302, "/target");
        JsonNode result = postWithCredentials();
        assertEquals("same-origin", result.get("variables").get("landed").textValue());
        LoggedRequest followed = only(first, "/target");
        assertEquals("Bearer secret-token", followed.getHeader("Authorization"));
        assertEquals("session=abc", followed.getHeader("Cookie"));
    }

    @Test
    void stopsAtMaxRedirectsAndReturnsTheLastRedirect() {
        first.stubFor(any(urlPathEqualTo("/loop")).willReturn(aResponse().withStatus(302).withHeader("Location", "/loop")));
        JsonNode result = StepEvents.step("GET", DemoApi.base(first) + "/loop").options("{\"maxRedirects\": 2}").invoke();
        assertEquals(302, result.get("status").intValue());
        assertEquals("failure", result.get("branch").asText());
        assertEquals(3, first.findAll(anyRequestedFor(anyUrl())).size());
        assertTrue(result.get("warnings").get(0).asText().contains("2 redirects"));
    }

    @Test
    void followRedirectsFalseReturnsTheRedirectItself() {
        redirect(302, "http://localhost:" + second.getPort() + "/target");
        JsonNode result = StepEvents.step("GET", DemoApi.base(first) + "/start")
                .options("{\"followRedirects\": false, \"successStatuses\": [\"3xx\"]}")
                .capture("[{\"variable\": \"next\", \"path\": \"headers.Location\"}]").invoke();
        assertEquals(302, result.get("status").intValue());
        assertEquals("success", result.get("branch").asText());
        assertEquals("http://localhost:" + second.getPort() + "/target", result.get("variables").get("next").textValue());
        assertEquals(0, second.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void aRedirectToABlockedDestinationIsRefused() {
        redirect(302, "http://169.254.169.254/latest/meta-data/");
        JsonNode result = StepEvents.step("GET", DemoApi.base(first) + "/start").invoke();
        assertEquals("failure", result.get("branch").asText());
        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText());
    }

    @Test
    void aRedirectToAnotherSchemeIsRefused() {
        redirect(302, "file:///etc/passwd");
        JsonNode result = StepEvents.step("GET", DemoApi.base(first) + "/start").invoke();
        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText());
    }
}
