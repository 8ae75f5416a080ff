package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 23, class 9: the event's limits agree with the upload cap. A string may be as long as the event that carries
 * it (6 MiB), so inline base64 content is bounded by the event alone (before, a 5,000,000-character string cap cut it
 * at about 3.75 MB under a 10 MiB maxUploadBytes). An event past a JSON limit is INVALID_EVENT naming that limit: the
 * packaged handler's check answers it (PackagedFunctionIT), since the test application's event server is Funqy's own.
 */
@QuarkusTest
class EventLimitsTest {

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void answerEverything() {
        api.stubFor(any(anyUrl()).willReturn(ok("{}").withHeader("Content-Type", "application/json")));
    }

    @Test
    void inlineBase64ContentOfFourMebibytesGoesOut() {
        byte[] file = new byte[4 * 1024 * 1024];
        new Random(23).nextBytes(file);
        String base64 = Base64.getEncoder().encodeToString(file);
        assertTrue(base64.length() > 5_000_000, "past the old string cap");
        JsonNode result = StepEvents.step("PUT", DemoApi.base(api) + "/upload/voice.ogg")
                .variable("audio_b64", base64)
                .request("body", "{\"type\": \"binary\", \"content\": \"{audio_b64}\", \"encoding\": \"base64\","
                        + " \"contentType\": \"audio/ogg\"}")
                .invoke();
        assertEquals("success", result.get("branch").asText(), result.at("/error").toString());
        List<LoggedRequest> sent = api.findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, sent.size());
        assertArrayEquals(file, sent.get(0).getBody());
    }
}
