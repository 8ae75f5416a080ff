package dev.apistep.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    /** The Standard Webhooks published test vector: a consumer's own library must accept what we send. */
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private final WebhookSignature signature = new WebhookSignature(SECRET, Duration.ofMinutes(5));

    @Test
    void reproducesThePublishedTestVector() {
        assertEquals(EXPECTED, signature.sign(ID, TIMESTAMP, BODY));
    }

    @Test
    void verifiesWithinTheToleranceAndAmongSeveralSignatures() {
        assertTrue(signature.verify(ID, "1614265330", EXPECTED, BODY, TIMESTAMP + 60));
        assertTrue(signature.verify(ID, "1614265330", "v1,bm9wZQ== " + EXPECTED, BODY, TIMESTAMP));
    }

    @Test
    void refusesTamperingReplaysAndMissingParts() {
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertFalse(signature.verify(ID, "1614265330", EXPECTED, tampered, TIMESTAMP), "body changed");
        assertFalse(signature.verify("msg_other", "1614265330", EXPECTED, BODY, TIMESTAMP), "id changed");
        assertFalse(signature.verify(ID, "1614265330", EXPECTED, BODY, TIMESTAMP + 301), "too old: a replay");
        assertFalse(signature.verify(ID, "1614265330", EXPECTED, BODY, TIMESTAMP - 301), "from the future");
        assertFalse(signature.verify(ID, "soon", EXPECTED, BODY, TIMESTAMP));
        assertFalse(signature.verify(null, "1614265330", EXPECTED, BODY, TIMESTAMP));
        assertFalse(signature.verify(ID, "1614265330", null, BODY, TIMESTAMP));
        assertFalse(new WebhookSignature("whsec_b3RoZXI=", Duration.ofMinutes(5))
                .verify(ID, "1614265330", EXPECTED, BODY, TIMESTAMP), "another secret");
    }
}
