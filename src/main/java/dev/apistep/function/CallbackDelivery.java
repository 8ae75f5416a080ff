package dev.apistep.function;

import dev.apistep.core.Deadline;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepFailure;
import dev.apistep.core.Warnings;
import dev.apistep.egress.RedirectFollower;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import dev.apistep.exchange.UsedSecrets;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Delivers a result to the event's {@code callback} URL, for triggers where no caller waits for it: a POST
 * of the result JSON with Standard Webhooks headers, signed when a webhook secret is configured, through
 * the same egress path as a step (destination rules, no redirects). A failed delivery is reported, never
 * retried here: running the step again could repeat its side effects.
 */
public final class CallbackDelivery {

    /** A callback answer is an acknowledgement; anything bigger is not read. */
    static final long MAX_ACKNOWLEDGEMENT_BYTES = 64 * 1024;

    private final RedirectFollower sender;
    private final Optional<WebhookSignature> signature;
    private final String userAgent;

    public CallbackDelivery(RedirectFollower sender, Optional<WebhookSignature> signature, String userAgent) {
        this.sender = sender;
        this.signature = signature;
        this.userAgent = userAgent;
    }

    /** Empty when delivered; else what went wrong, for a warning. */
    public Optional<String> deliver(URI url, String resultJson, Deadline deadline) {
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        long timestamp = System.currentTimeMillis() / 1000;
        List<NameValue> headers = new ArrayList<>(List.of(new NameValue("Content-Type", "application/json"),
                new NameValue("User-Agent", userAgent), new NameValue("webhook-id", id),
                new NameValue("webhook-timestamp", Long.toString(timestamp))));
        signature.ifPresent(signer -> headers.add(new NameValue("webhook-signature",
                signer.sign(id, timestamp, resultJson.getBytes(StandardCharsets.UTF_8)))));
        OutboundRequest request = new OutboundRequest("POST", url, headers,
                new RequestBody.Text(resultJson, "application/json"), null, null, UsedSecrets.NONE);
        try {
            int status = sender.send(request, new RedirectFollower.Limits(false, 0, MAX_ACKNOWLEDGEMENT_BYTES), deadline,
                    new Warnings()).status();
            return status >= 200 && status <= 299 ? Optional.empty()
                    : Optional.of("the callback to " + url.getHost() + " answered status " + status);
        } catch (StepFailure failure) {
            return Optional.of("the callback to " + url.getHost() + " failed: " + failure.error().code());
        }
    }
}
