package dev.apistep.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.StepError;
import dev.apistep.core.StepFailure;
import dev.apistep.core.StoreUnavailableException;
import dev.apistep.result.Branch;
import dev.apistep.result.StepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Idempotent delivery (contract §6): an event with a key runs once per key and tenant within the TTL. The
 * first run claims the key (marked running until the step's deadline has passed, so a crash does not block it
 * for long); its result replaces the mark and is replayed to every repeat ({@code "replayed": true}, nothing
 * sent again). A repeat while the first runs, or when the store cannot say, fails with {@code IN_PROGRESS}
 * (retryable): a side effect is never repeated silently. A result with a retryable error is not kept: the
 * key is released so that the redelivery the error asks for runs the step again.
 */
public final class Idempotency {

    private static final Logger LOG = Logger.getLogger(Idempotency.class);
    /** The running mark outlives the step's deadline by this much (the result is assembled and stored after it). */
    static final long MARK_MARGIN_MS = 2_000;

    private final SharedStore store;
    private final Duration ttl;
    private final StoreTimeouts timeouts;
    private final ObjectMapper mapper;

    public Idempotency(SharedStore store, Duration ttl, StoreTimeouts timeouts, ObjectMapper mapper) {
        this.store = store;
        this.ttl = ttl;
        this.timeouts = timeouts;
        this.mapper = mapper;
    }

    /** A claimed key, to {@link #end} with the run's result. */
    public record Claimed(String key, String token) {
    }

    /** What {@link #begin} found: a claim (run the step) or a stored result (replay it). */
    public record Begun(Claimed claim, StepResult replay) {
    }

    /**
     * Claims {@code key} of {@code tenantId} (null: no tenant) for this run. Throws {@code IN_PROGRESS} when
     * the key runs elsewhere or the store does not answer.
     */
    public Begun begin(String tenantId, String key, Deadline deadline) {
        String scoped = scoped(tenantId, key);
        String token = UUID.randomUUID().toString();
        SharedStore.Claim claim;
        try {
            claim = store.claim(scoped, token, Duration.ofMillis(deadline.remainingMillis() + MARK_MARGIN_MS),
                    timeouts.within(deadline));
        } catch (StoreUnavailableException down) {
            LOG.warnf("idempotency: the %s store did not answer (%s); the step is refused as IN_PROGRESS", store.name(),
                    down.getMessage());
            throw new StepFailure(ErrorCode.IN_PROGRESS, "idempotencyKey",
                    StoreUnavailableException.WARNING_PREFIX
                            + "could not say whether this idempotency key already ran; deliver the event again later");
        }
        return switch (claim.found()) {
            case NOTHING -> new Begun(new Claimed(scoped, token), null);
            case RUNNING -> throw new StepFailure(ErrorCode.IN_PROGRESS, "idempotencyKey",
                    "a step with this idempotency key is still running; deliver the event again later");
            case RESULT -> new Begun(null, replay(claim.result()));
        };
    }

    /** Stores the run's result for repeats, or releases the key when the result asks to be retried. */
    public void end(Claimed claim, StepResult result, Deadline deadline) {
        long timeout = timeouts.after(deadline);
        try {
            if (result.error() != null && result.error().retryable()) {
                store.release(claim.key(), claim.token(), timeout);
            } else {
                store.complete(claim.key(), claim.token(), LosslessJson.write(mapper, result), ttl, timeout);
            }
        } catch (StoreUnavailableException down) {
            // The mark expires after the step's deadline: a repeat then runs again (at-least-once, as without a key).
            LOG.warnf("idempotency: the %s store did not keep the result (%s)", store.name(), down.getMessage());
        }
    }

    static String scoped(String tenantId, String key) {
        String tenant = tenantId == null ? "" : tenantId;
        return tenant.length() + ":" + tenant + ":" + key;
    }

    /** The stored result as the step gave it, marked replayed. */
    private StepResult replay(String stored) {
        JsonNode json;
        try {
            json = mapper.readTree(stored);
        } catch (java.io.IOException unreadable) {
            throw new StepFailure(ErrorCode.INTERNAL, null, "the stored result of this idempotency key is unreadable");
        }
        JsonNode error = json.path("error");
        StepError stepError = error.isObject()
                ? new StepError(ErrorCode.valueOf(error.path("code").asText()),
                        error.hasNonNull("reason") ? error.get("reason").asText() : null,
                        error.path("message").asText(), error.path("retryable").asBoolean())
                : null;
        return new StepResult(Branch.valueOf(json.path("branch").asText("failure").toUpperCase(Locale.ROOT)),
                object(json.get("variables")), object(json.get("changes")),
                json.path("status").isNumber() ? json.get("status").intValue() : null, stepError,
                texts(json.get("warnings")), texts(json.get("tags")), json.path("attempts").asInt(),
                json.path("durationMs").asLong(), null, null, null, Boolean.TRUE, null);
    }

    private ObjectNode object(JsonNode node) {
        return node != null && node.isObject() ? (ObjectNode) node : mapper.createObjectNode();
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(text -> texts.add(text.asText()));
        }
        return texts;
    }
}
