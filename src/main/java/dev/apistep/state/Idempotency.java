package dev.apistep.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.StepError;
import dev.apistep.core.StepFailure;
import dev.apistep.core.StoreUnavailableException;
import dev.apistep.result.Branch;
import dev.apistep.result.SecretMasker;
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
 * sent again), on the repeat's own variables: the conversation's variables are not stored, nor a change that held
 * one of the step's secrets (a replay leaves that variable as the repeat has it, and says so). A repeat while the
 * first runs, or when the store cannot say, fails with {@code IN_PROGRESS} (retryable): a side effect is never
 * repeated silently. A result with a retryable error is not kept: the key is released so that the redelivery
 * the error asks for runs the step again.
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
    public record Begun(Claimed claim, Replay replay) {
    }

    /**
     * A stored result: the first run's outcome without the conversation's variables, which a redelivery brings
     * again (kept as long as the key, 24 h by default: no copy of a conversation or of its tokens at rest), and
     * without the changes that held a secret of the step, of which only the variables' names are kept
     * ({@code withheld}).
     */
    public record Replay(Branch branch, ObjectNode changes, List<String> withheld, Integer status, StepError error,
            List<String> warnings, List<String> tags, int attempts, long durationMs) {

        /**
         * The first run's result for a redelivery of its event: the event's variables with the kept changes
         * applied; a withheld variable stays as the event has it, with a warning naming it.
         */
        public StepResult forEvent(ObjectNode eventVariables) {
            ObjectNode variables = eventVariables.deepCopy();
            variables.setAll(changes);
            List<String> replayedWarnings = warnings;
            if (!withheld.isEmpty()) {
                replayedWarnings = new ArrayList<>(warnings);
                replayedWarnings.add("changes of " + String.join(", ", withheld)
                        + " not replayed: they held a secret of the step");
            }
            return new StepResult(branch, variables, changes, status, error, replayedWarnings, tags, attempts, durationMs,
                    null, null, null, Boolean.TRUE, null, null);
        }
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

    /**
     * Stores what a repeat of the run needs, or releases the key when the result asks to be retried. {@code masker}
     * masks the step's secrets in what is kept, as test mode's traces mask them.
     */
    public void end(Claimed claim, StepResult result, SecretMasker masker, Deadline deadline) {
        long timeout = timeouts.after(deadline);
        try {
            if (result.error() != null && result.error().retryable()) {
                store.release(claim.key(), claim.token(), timeout);
            } else {
                store.complete(claim.key(), claim.token(), LosslessJson.write(mapper, atRest(result, masker)), ttl,
                        timeout);
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

    /**
     * What is kept of a result: everything a replay gives but the variables. A change that holds one of the
     * step's secrets (a response that echoed the request) is not kept, only its variable's name: a masked copy
     * would replay wrong data as the stored result (a password {@code 1234} in {@code "A-12345"}). Any text the
     * rest of the result has is kept masked.
     */
    private ObjectNode atRest(StepResult result, SecretMasker masker) {
        ObjectNode stored = mapper.createObjectNode();
        stored.put("branch", result.branch().json());
        ObjectNode changes = stored.putObject("changes");
        ArrayNode withheld = stored.putArray("withheld");
        result.changes().fields().forEachRemaining(change -> {
            if (holdsSecret(change.getKey(), masker) || holdsSecret(change.getValue(), masker)) {
                withheld.add(masker.maskValues(change.getKey()));
            } else {
                changes.set(change.getKey(), change.getValue());
            }
        });
        if (result.status() != null) {
            stored.put("status", result.status());
        }
        StepError error = result.error();
        if (error != null) {
            stored.set("error", mapper.valueToTree(new StepError(error.code(), error.reason(),
                    masker.maskValues(error.message()), error.retryable())));
        }
        ArrayNode warnings = stored.putArray("warnings");
        result.warnings().forEach(warning -> warnings.add(masker.maskValues(warning)));
        result.tags().forEach(stored.putArray("tags")::add);
        stored.put("attempts", result.attempts());
        stored.put("durationMs", result.durationMs());
        return stored;
    }

    /**
     * Whether any text, name or number in {@code value}, at any depth, spells a secret of the step (a number as
     * written and in plain notation: {@code 1E+3} is {@code 1000}); nesting is bounded by what the parser admits.
     */
    private static boolean holdsSecret(JsonNode value, SecretMasker masker) {
        if (value.isTextual()) {
            return holdsSecret(value.textValue(), masker);
        }
        if (value.isNumber()) {
            return holdsSecret(value.asText(), masker) || holdsSecret(value.decimalValue().toPlainString(), masker);
        }
        if (value.isArray()) {
            for (JsonNode item : value) {
                if (holdsSecret(item, masker)) {
                    return true;
                }
            }
            return false;
        }
        if (value.isObject()) {
            var fields = value.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (holdsSecret(field.getKey(), masker) || holdsSecret(field.getValue(), masker)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean holdsSecret(String text, SecretMasker masker) {
        return !masker.maskValues(text).equals(text);
    }

    /**
     * The stored result, to replay. An entry written before the variables were left out still has them: they are
     * not used, the redelivered event's are. An entry written before changes were withheld has no
     * {@code withheld}: its changes (masked then) are replayed as kept.
     */
    private Replay replay(String stored) {
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
        return new Replay(Branch.valueOf(json.path("branch").asText("failure").toUpperCase(Locale.ROOT)),
                object(json.get("changes")), texts(json.get("withheld")), json.path("status").isNumber() ? json.get("status").intValue() : null,
                stepError, texts(json.get("warnings")), texts(json.get("tags")), json.path("attempts").asInt(),
                json.path("durationMs").asLong());
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
