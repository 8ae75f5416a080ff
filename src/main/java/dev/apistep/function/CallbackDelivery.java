package dev.apistep.function;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.core.Deadline;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepFailure;
import dev.apistep.core.Warnings;
import dev.apistep.egress.RedirectFollower;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import dev.apistep.exchange.UsedSecrets;
import dev.apistep.pipeline.PipelineProducer;
import dev.apistep.pipeline.StepRun;
import dev.apistep.result.StepResult;
import dev.apistep.step.StepOptions;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Delivers a result to the event's {@code callback} URL, for triggers where no caller waits for it: a POST
 * of the result JSON with Standard Webhooks headers, signed when a webhook secret is configured, through
 * the same egress path as a step (destination rules, no redirects). A failed delivery is reported, never
 * retried here: running the step again could repeat its side effects.
 */
@Singleton
public class CallbackDelivery {

    /** A callback answer is an acknowledgement; anything bigger is not read. */
    static final long MAX_ACKNOWLEDGEMENT_BYTES = 64 * 1024;
    /** A callback is an acknowledgement: it gets this long, within what is left of the invocation. */
    private static final int CALLBACK_TIMEOUT_MS = 10_000;

    private final RedirectFollower sender;
    private final Webhooks webhooks;
    private final ObjectMapper mapper;
    private final String userAgent;

    public CallbackDelivery(RedirectFollower sender, Webhooks webhooks, ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.application.version") String version) {
        this.sender = sender;
        this.webhooks = webhooks;
        this.mapper = mapper;
        this.userAgent = PipelineProducer.userAgent(version);
    }

    /** The run's result, after delivering it to the callback the event named, if any; a failed delivery becomes a warning. */
    StepResult deliver(StepRun run, OptionalLong invocationRemainingMs) {
        if (run.callback() == null) {
            return run.result();
        }
        Deadline deadline = Deadline.forStep(CALLBACK_TIMEOUT_MS, StepOptions.MAX_TIMEOUT_MS, invocationRemainingMs);
        return deliver(run.callback(), LosslessJson.write(mapper, run.result()), deadline)
                .map(run.result()::withWarning).orElse(run.result());
    }

    /** Empty when delivered; else what went wrong, for a warning. */
    private Optional<String> deliver(URI url, String resultJson, Deadline deadline) {
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        long timestamp = System.currentTimeMillis() / 1000;
        List<NameValue> headers = new ArrayList<>(List.of(new NameValue("Content-Type", "application/json"),
                new NameValue("User-Agent", userAgent), new NameValue("webhook-id", id),
                new NameValue("webhook-timestamp", Long.toString(timestamp))));
        webhooks.sign(id, timestamp, resultJson.getBytes(StandardCharsets.UTF_8))
                .ifPresent(signature -> headers.add(new NameValue("webhook-signature", signature)));
        OutboundRequest request = new OutboundRequest("POST", url, headers,
                new RequestBody.Text(resultJson, "application/json"), null, UsedSecrets.NONE);
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
