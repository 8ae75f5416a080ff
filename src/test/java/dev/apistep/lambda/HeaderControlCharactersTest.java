package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 23, class 3: a control character other than tab in a rendered header value (0x01-0x08, 0x0B, 0x0C,
 * 0x0E-0x1F, 0x7F, besides CR, LF and NUL) is INVALID_STEP naming the header, in every mode, and nothing is sent.
 * Before, it failed inside the client as INTERNAL while render mode answered success.
 */
@QuarkusTest
class HeaderControlCharactersTest {

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void answerEverything() {
        api.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    }

    static Stream<Arguments> controlCharactersInEveryMode() {
        return IntStream.concat(IntStream.rangeClosed(0x00, 0x1F).filter(c -> c != '\t'), IntStream.of(0x7F)).boxed()
                .flatMap(c -> Stream.of("run", "test", "render").map(mode -> Arguments.of(c, mode)));
    }

    @ParameterizedTest(name = "U+{0} in {1} mode")
    @MethodSource("controlCharactersInEveryMode")
    void aControlCharacterInAHeaderValueIsAnInvalidStepNamingTheHeader(int character, String mode) {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/h")
                .mode(mode)
                .variable("v", "before" + (char) character + "after")
                .header("X-Note", "{v}")
                .invoke();
        assertEquals("failure", result.get("branch").asText(), result.toString());
        assertEquals("INVALID_STEP", result.at("/error/code").asText(), result.toString());
        assertEquals("step.request.headers.X-Note", result.at("/error/reason").asText(), result.toString());
        assertTrue(result.at("/error/message").asText().contains("X-Note"), result.toString());
        assertEquals(0, api.findAll(anyRequestedFor(anyUrl())).size(), "nothing is sent");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"type\": \"bearer\", \"token\": \"SECRET\\u0001VALUE\"}",
        "{\"type\": \"apiKey\", \"in\": \"header\", \"name\": \"X-Api-Key\", \"value\": \"SECRET\\u007fVALUE\"}",
        "{\"type\": \"apiKey\", \"in\": \"header\", \"name\": \"X-Api-Key\", \"value\": \"SECRET\\u001bVALUE\"}"})
    void aControlCharacterInAnAuthHeaderIsRefusedWithoutShowingIt(String auth) {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/h").mode("test").stepField("auth", auth).invoke();
        assertEquals("INVALID_STEP", result.at("/error/code").asText(), result.toString());
        assertFalse(result.toString().contains("SECRET") || result.toString().contains("VALUE"),
                "the credential is not shown: " + result);
        assertEquals(0, api.findAll(anyRequestedFor(anyUrl())).size(), "nothing is sent");
    }

    @Test
    void aTabIsAllowedAndArrives() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/h")
                .variable("v", "a\tb")
                .header("X-Note", "{v}")
                .invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals("a\tb", api.findAll(anyRequestedFor(anyUrl())).get(0).getHeader("X-Note"));
    }
}
