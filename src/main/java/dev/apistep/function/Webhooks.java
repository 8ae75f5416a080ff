package dev.apistep.function;

import dev.apistep.pipeline.StepConfig;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * This deployment's Standard Webhooks secret, when one is configured: with it, both bindings (Lambda's
 * Function URL and API Gateway, container mode's HTTP) admit only signed requests, and callbacks go out signed.
 */
@Singleton
public class Webhooks {

    private final Optional<WebhookSignature> signature;

    public Webhooks(StepConfig config) {
        this.signature = config.webhook().secret().filter(secret -> !secret.isBlank())
                .map(secret -> new WebhookSignature(secret, config.webhook().tolerance()));
    }

    /** Whether HTTP requests must be signed. */
    public boolean required() {
        return signature.isPresent();
    }

    /**
     * True when no secret is configured, or when the request is signed with it and recent. {@code header}
     * gives a request header by name, whatever case the request used; {@code body} is null when unreadable.
     */
    public boolean admits(UnaryOperator<String> header, byte[] body) {
        return signature.isEmpty() || (body != null && signature.get().verify(header.apply("webhook-id"),
                header.apply("webhook-timestamp"), header.apply("webhook-signature"), body,
                System.currentTimeMillis() / 1000));
    }

    /** The {@code webhook-signature} value for an outgoing message, when a secret is configured. */
    Optional<String> sign(String id, long timestampSeconds, byte[] body) {
        return signature.map(signer -> signer.sign(id, timestampSeconds, body));
    }
}
