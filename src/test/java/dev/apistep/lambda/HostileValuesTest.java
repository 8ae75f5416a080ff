package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One hostile value through every template context of one step; the server must receive it intact,
 * as data, in each place: one path segment, one query value, one header, one JSON string, one JSON value.
 */
@QuarkusTest
class HostileValuesTest {

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void answerEverything() {
        api.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    }

    /** The header's bytes read as UTF-8 (the server side reads header bytes as Latin-1). */
    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a&b=c#d", "../admin", "..", "He said \"hi\"", "back\\slash", "São Paulo 東京 🙂",
        "{\"a\":1}", "100% + 1", "x?y=z/w", "{other}", "<script>", "'; DROP TABLE x;--"})
    void arrivesIntactInEveryContext(String value) {
        JsonNode result = StepEvents.step("POST", DemoApi.base(api) + "/items/{v}/end?q={v}&fixed=1")
                .variable("v", value)
                .header("X-Value", "{v}")
                .request("body", "{\"type\": \"json\", \"content\": \"{\\\"s\\\": \\\"{v}\\\", \\\"j\\\": {v}}\"}")
                .invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        List<LoggedRequest> requests = api.findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, requests.size());
        LoggedRequest sent = requests.get(0);
        String rawPath = sent.getUrl().substring(0, sent.getUrl().indexOf('?'));
        String[] segments = rawPath.split("/");
        assertEquals(4, segments.length, "the value stays one segment: " + rawPath);
        assertEquals("end", segments[3]);
        assertEquals(value, URLDecoder.decode(segments[2].replace("+", "%2B"), StandardCharsets.UTF_8));
        assertEquals(value, sent.queryParameter("q").firstValue());
        assertEquals("1", sent.queryParameter("fixed").firstValue());
        assertEquals(value, utf8(sent.getHeader("X-Value")), "header values travel as their UTF-8 bytes");
        JsonNode body = LambdaEvents.read(sent.getBodyAsString());
        assertEquals(value, body.get("s").textValue());
        assertEquals(value, body.get("j").textValue());
    }
}
