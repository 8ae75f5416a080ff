package dev.apistep.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.auth.Authenticator;
import dev.apistep.capture.Capturer;
import dev.apistep.capture.ResponseDocument;
import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepError;
import dev.apistep.core.StepFailure;
import dev.apistep.core.Warnings;
import dev.apistep.destination.DestinationPolicy;
import dev.apistep.destination.RequestGuard;
import dev.apistep.egress.HttpClients;
import dev.apistep.egress.TraceHeader;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.read.StateFields;
import dev.apistep.read.StepEventParser;
import dev.apistep.resilience.RateLimits;
import dev.apistep.resilience.ResilientSender;
import dev.apistep.result.ResultAssembler.FinishedStep;
import dev.apistep.result.ResultAssembler;
import dev.apistep.result.SecretMasker;
import dev.apistep.result.StepResult;
import dev.apistep.state.Idempotency;
import dev.apistep.state.RecentRuns;
import dev.apistep.state.SharedState;
import dev.apistep.core.StoreUnavailableException;
import dev.apistep.step.HistoryQuery;
import dev.apistep.step.Mode;
import dev.apistep.step.StepEvent;
import dev.apistep.step.StepOptions;
import dev.apistep.template.RequestRenderer;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * One step, start to end, as a list of stages in {@link #run}: each takes the step's state and returns the
 * next. Every stage failure becomes the failure branch here; anything unexpected becomes INTERNAL.
 */
public final class StepPipeline {

    private static final Logger LOG = Logger.getLogger(StepPipeline.class);

    private final StepEventParser parser;
    private final RequestRenderer renderer;
    private final TraceHeader trace;
    private final Authenticator authenticator;
    private final RequestGuard guard;
    private final HttpClients clients;
    private final DestinationPolicy destinations;
    private final RateLimits rateLimits;
    private final ResilientSender sender;
    private final Capturer capturer;
    private final ResultAssembler assembler;
    private final StepLog log;
    private final ObjectMapper mapper;
    private final SharedState shared;

    public StepPipeline(StepEventParser parser, RequestRenderer renderer, TraceHeader trace, Authenticator authenticator,
            RequestGuard guard,
            HttpClients clients, DestinationPolicy destinations, RateLimits rateLimits, ResilientSender sender,
            Capturer capturer, ResultAssembler assembler, StepLog log, ObjectMapper mapper, SharedState shared) {
        this.shared = shared;
        this.parser = parser;
        this.renderer = renderer;
        this.trace = trace;
        this.authenticator = authenticator;
        this.guard = guard;
        this.clients = clients;
        this.destinations = destinations;
        this.rateLimits = rateLimits;
        this.sender = sender;
        this.capturer = capturer;
        this.assembler = assembler;
        this.log = log;
        this.mapper = mapper;
    }

    /**
     * {@code invocationRemainingMs}: what the runtime says is left of this invocation, when it says;
     * {@code requestId}: the Lambda request id, for the log line (null outside Lambda).
     */
    public StepRun run(JsonNode rawEvent, OptionalLong invocationRemainingMs, String requestId) {
        return run(rawEvent, invocationRemainingMs, requestId, null);
    }

    /**
     * {@code deliveryId}: the trigger's own id for this delivery (a signed webhook's {@code webhook-id}, an SQS
     * {@code messageId}), the idempotency key when the event names none; null when there is none.
     */
    public StepRun run(JsonNode rawEvent, OptionalLong invocationRemainingMs, String requestId, String deliveryId) {
        if (StateFields.isHistory(rawEvent)) {
            return history(rawEvent, invocationRemainingMs, requestId);
        }
        StepState state = StepState.start(rawEvent);
        Idempotency.Claimed claim = null;
        try {
            state = read(state, rawEvent, invocationRemainingMs);
            Idempotency.Begun begun = remember(state, rawEvent, deliveryId);
            if (begun != null && begun.replay() != null) {
                return replay(state, begun.replay(), requestId);
            }
            claim = begun == null ? null : begun.claim();
            if (state.mode() != Mode.IMPORT) {
                state = render(state);
                state = check(state);
                if (state.sends()) {
                    state = limit(state);
                    state = send(state);
                    state = capture(state);
                }
            }
        } catch (StepFailure failure) {
            state = state.withFailure(failure.error());
        } catch (RuntimeException | StackOverflowError unexpected) {
            // A bug, not input: the step still gets its answer, and no other step is affected.
            state = state.withFailure(internal(unexpected));
        }
        return finish(state, requestId, claim);
    }

    /** An event whose bytes are not JSON at all ({@code fault} says why): answered and logged like every other. */
    public StepResult unreadable(String fault, String requestId) {
        return finish(StepState.start(null).withFailure(StepError.unreadableEvent(fault)), requestId, null).result();
    }

    /** Read: the event validated (a cURL command read into a request), and the step's one deadline. */
    private StepState read(StepState state, JsonNode rawEvent, OptionalLong invocationRemainingMs) {
        StepEvent event = parser.parse(rawEvent, state.inputVariables());
        if (event.step().imported() != null) {
            event.step().imported().warnings().forEach(state.warnings()::add);
        }
        return state.withEvent(event,
                Deadline.forStep(event.step().options().timeoutMs(), StepOptions.MAX_TIMEOUT_MS, invocationRemainingMs));
    }

    /** Render: the request as it will be sent, with the step's auth and the invocation's trace header. */
    private StepState render(StepState state) {
        OutboundRequest request = trace.propagate(renderer.render(state.event(), state.warnings()));
        Authenticator.Authenticated authenticated = authenticator.render(state.event().step().auth(), request,
                renderer.templates(state.event(), state.warnings()));
        return state.withRequest(authenticated.request(), authenticated.credentials());
    }

    /**
     * Check: the request's headers and size, its TLS material, and its destination. A dry run (render)
     * reports a refused destination too; a name that does not resolve there is only a warning.
     */
    private StepState check(StepState state) {
        guard.check(state.request());
        clients.prepare(state.request().tls());
        try {
            destinations.check(state.request().uri());
        } catch (StepFailure refused) {
            if (state.sends() || refused.error().code() != ErrorCode.DNS_FAILURE) {
                throw refused;
            }
            state.warnings().add("the host " + state.request().uri().getHost() + " does not resolve from here");
        }
        if (!state.sends() && state.credentials() != null) {
            state.warnings().add("the oauth2 token is fetched only when the step runs");
        }
        return state;
    }

    /**
     * Remember: in run mode, an event with an idempotency key (its own {@code idempotencyKey}, else the
     * trigger's delivery id) claims it, or gets the stored result of its first run; null when there is no key.
     */
    private Idempotency.Begun remember(StepState state, JsonNode rawEvent, String deliveryId) {
        if (state.mode() != Mode.RUN) {
            return null;
        }
        String key = StateFields.idempotencyKey(rawEvent);
        if (key == null && deliveryId != null && !deliveryId.isBlank()) {
            key = deliveryId.length() <= StateFields.MAX_KEY_LENGTH ? deliveryId
                    : "sha256:" + dev.apistep.core.Fingerprint.of(deliveryId);
        }
        return key == null ? null : shared.idempotency().begin(state.event().tenantId(), key, state.deadline());
    }

    /** A repeat of a run already done: its stored result on this event's variables, replayed; nothing is sent. */
    private StepRun replay(StepState state, Idempotency.Replay stored, String requestId) {
        StepResult replayed = stored.forEvent(state.event().variables());
        log.write(state.event(), null, requestId, replayed);
        return new StepRun(replayed, state.event().callback());
    }

    /** {@code mode: history}: the step's recent runs, newest first; nothing is sent. */
    private StepRun history(JsonNode rawEvent, OptionalLong invocationRemainingMs, String requestId) {
        StepState state = StepState.start(rawEvent);
        com.fasterxml.jackson.databind.node.ArrayNode runs = null;
        try {
            HistoryQuery query = StateFields.history(rawEvent);
            if (shared.recentRuns() == null) {
                state.warnings().add("recent runs are off (API_STEP_HISTORY_ENABLED)");
                runs = mapper.createArrayNode();
            } else {
                runs = shared.recentRuns().list(query.tenantId(), query.stepId(),
                        Deadline.forStep(StepOptions.MAX_TIMEOUT_MS, StepOptions.MAX_TIMEOUT_MS, invocationRemainingMs));
            }
        } catch (StepFailure failure) {
            state = state.withFailure(failure.error());
        } catch (StoreUnavailableException down) {
            state = state.withFailure(StepError.of(ErrorCode.IN_PROGRESS, null,
                    StoreUnavailableException.WARNING_PREFIX + "could not be reached: ask again later"));
        }
        StepResult listed = assembler.assemble(new FinishedStep(null, Mode.HISTORY, state.inputVariables(), null,
                Set.of(), Set.of(), null, null, state.failure(), 0, state.millisSinceStart(), state.warnings().list(),
                null));
        StepResult result = new StepResult(listed.branch(), listed.variables(), listed.changes(), null, listed.error(),
                listed.warnings(), listed.tags(), 0, listed.durationMs(), null, null, null, null, runs);
        log.write(null, null, requestId, result);
        return new StepRun(result, null);
    }

    /** Limit: the tenant's and the destination's rate limits (fail open when a shared store cannot be reached). */
    private StepState limit(StepState state) {
        rateLimits.acquire(state.event().tenantId(), state.request().uri(), state.deadline(), state.warnings());
        return state;
    }

    /** Send: the OAuth2 token, then retries, circuit breaker and redirects, within the deadline. */
    private StepState send(StepState state) {
        Authenticator.Exchanged exchanged = authenticator.send(state.request(), state.credentials(), state.deadline(),
                state.warnings(), request -> sender.send(request, state.event().step().options(), state.deadline(),
                        state.warnings()));
        ResponseDocument response = exchanged.attempts().response() == null ? null
                : ResponseDocument.of(exchanged.attempts().response(), mapper, state.deadline());
        return state.withExchange(exchanged.request(), response, exchanged.attempts().failure(),
                exchanged.attempts().count());
    }

    /** Capture: the variables this step sets from the response, when one came. */
    private StepState capture(StepState state) {
        if (state.response() == null) {
            return state;
        }
        return state.withChanges(capturer.capture(state.event().step().capture(), state.response(), state.warnings(),
                state.deadline()));
    }

    /**
     * Result: the branch, the variables and, in test and render modes, the traces; then the run is remembered
     * (recent runs, the idempotency key's result) and the step's log line written.
     */
    private StepRun finish(StepState state, String requestId, Idempotency.Claimed claim) {
        StepEvent event = state.event();
        StepResult result = assembler.assemble(new FinishedStep(event == null ? null : event.step(), state.mode(),
                event == null ? state.inputVariables() : event.variables(), state.request(),
                event == null ? Set.of() : Authenticator.secretNames(event.step().auth()), secretValues(state),
                state.response(), state.changes(), state.failure(), state.attempts(), state.millisSinceStart(),
                state.warnings().list(), state.deadline()));
        result = recordRun(state, result);
        if (claim != null) {
            shared.idempotency().end(claim, result, masker(state), state.deadline());
        }
        log.write(event, state.request() == null ? null : state.request().uri().getHost(), requestId, result);
        return new StepRun(result, event == null ? null : event.callback());
    }

    /** Recent runs, when on: run and test steps that rendered a request, masked as test mode masks. */
    private StepResult recordRun(StepState state, StepResult result) {
        if (shared.recentRuns() == null || !state.sends() || state.request() == null || state.event().step().id() == null) {
            return result;
        }
        StepEvent event = state.event();
        SecretMasker masker = masker(state);
        Warnings warnings = new Warnings();
        ResponseDocument response = state.response();
        shared.recentRuns().record(new RecentRuns.Run(event.tenantId(), event.step().id(),
                event.mode().name().toLowerCase(java.util.Locale.ROOT), result, state.request(),
                response == null ? 0 : response.response().status(),
                response == null ? java.util.List.of() : response.response().headers(),
                response == null ? null : response.text(), masker), state.deadline(), warnings);
        for (String warning : warnings.list()) {
            result = result.withWarning(warning);
        }
        return result;
    }

    /** Masks what is kept of a read step (recent runs, the idempotency key's result) as test mode's traces. */
    private static SecretMasker masker(StepState state) {
        return new SecretMasker(Authenticator.secretNames(state.event().step().auth()), secretValues(state),
                state.request());
    }

    /** The values of {@code {secret:NAME}} references wherever the step used them, and the OAuth2 client secret. */
    private static Set<String> secretValues(StepState state) {
        Set<String> values = new HashSet<>();
        if (state.request() != null) {
            values.addAll(state.request().secrets().values());
        }
        if (state.credentials() != null) {
            values.addAll(state.credentials().secrets().values());
            values.add(state.credentials().clientSecret());
        }
        return values;
    }

    /** Logged without anything the caller wrote (no step id: the step line has it, escaped), so no line can be forged. */
    private static StepError internal(Throwable unexpected) {
        LOG.errorf("a step failed unexpectedly: %s at %s", unexpected.getClass().getName(),
                unexpected.getStackTrace().length > 0 ? unexpected.getStackTrace()[0] : "?");
        return StepError.of(ErrorCode.INTERNAL, null, "the step failed unexpectedly");
    }
}
