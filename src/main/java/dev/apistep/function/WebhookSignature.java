package dev.apistep.function;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}
 * with the shared secret ({@code whsec_<base64>}, the key being the decoded bytes). Used to verify
 * requests arriving through a Function URL and to sign the results delivered to a {@code callback}.
 */
public final class WebhookSignature {

    private static final String PREFIX = "whsec_";
    /** The body of the 401 a request gets when it is not signed as configured. */
    public static final String REFUSED_BODY = "{\"error\": \"the webhook signature is missing, invalid or too old\"}";

    private final byte[] key;
    private final Duration tolerance;

    /** {@code tolerance}: how far a timestamp may be from now, either way; older ones are replays. */
    public WebhookSignature(String secret, Duration tolerance) {
        this.key = key(secret);
        this.tolerance = tolerance;
    }

    public String sign(String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("HmacSHA256 is always available", impossible);
        }
    }

    /** True when one of the (space-separated) signatures matches and the timestamp is recent. */
    public boolean verify(String id, String timestamp, String signatures, byte[] body, long nowSeconds) {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        long sent;
        try {
            sent = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException notANumber) {
            return false;
        }
        if (Math.abs(nowSeconds - sent) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = sign(id, sent, body).getBytes(StandardCharsets.US_ASCII);
        for (String signature : signatures.trim().split(" +")) {
            if (MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    /** The base64 after {@code whsec_}, as the reference libraries read it; any other text as its bytes. */
    private static byte[] key(String secret) {
        String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException notBase64) {
            return secret.getBytes(StandardCharsets.UTF_8);
        }
    }
}
