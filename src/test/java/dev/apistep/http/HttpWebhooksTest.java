package dev.apistep.http;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.function.WebhookSignature;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With a webhook secret, container mode runs only steps whose requests are signed with it. */
@QuarkusTest
@TestProfile(HttpWebhooksTest.Signed.class)
class HttpWebhooksTest extends FunctionOverHttp {

    private static final String SECRET = "whsec_Y29udGFpbmVyLW1vZGUtd2ViaG9vay1zZWNyZXQ=";

    public static class Signed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("api-step.webhook.secret", SECRET);
        }
    }

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();


    @BeforeEach
    void script() {
        api.stubFor(get(urlPathEqualTo("/ok")).willReturn(okJson("{}")));
    }

    @Test
    void aSignedRequestRunsItsStep() {
        String event = StepEvents.step("GET", DemoApi.base(api) + "/ok").json().toString();
        long now = System.currentTimeMillis() / 1000;
        String signature = new WebhookSignature(SECRET, Duration.ofMinutes(5))
                .sign("msg_1", now, event.getBytes(StandardCharsets.UTF_8));
        String answer = given().contentType("application/json").header("webhook-id", "msg_1")
                .header("webhook-timestamp", Long.toString(now)).header("webhook-signature", signature)
                .body(event).when().post(root).then().statusCode(200).extract().asString();
        assertEquals("success", LambdaEvents.read(answer).get("branch").asText());
    }

    @Test
    void unsignedTamperedAndOldRequestsRunNothing() {
        String event = StepEvents.step("GET", DemoApi.base(api) + "/ok").json().toString();
        long now = System.currentTimeMillis() / 1000;
        WebhookSignature signer = new WebhookSignature(SECRET, Duration.ofMinutes(5));
        given().contentType("application/json").body(event).when().post(root).then().statusCode(401);
        given().contentType("application/json").header("webhook-id", "msg_2").header("webhook-timestamp", Long.toString(now))
                .header("webhook-signature", signer.sign("msg_2", now, "{}".getBytes(StandardCharsets.UTF_8)))
                .body(event).when().post(root).then().statusCode(401);
        long old = now - 3600;
        given().contentType("application/json").header("webhook-id", "msg_3").header("webhook-timestamp", Long.toString(old))
                .header("webhook-signature", signer.sign("msg_3", old, event.getBytes(StandardCharsets.UTF_8)))
                .body(event).when().post(root).then().statusCode(401);
        api.verify(0, anyRequestedFor(anyUrl()));
    }
}
