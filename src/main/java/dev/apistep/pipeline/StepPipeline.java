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
import dev.apistep.destination.DestinationPolicy;
import dev.apistep.destination.RequestGuard;
import dev.apistep.egress.HttpClients;
import dev.apistep.egress.TraceHeader;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.read.StepEventParser;
import dev.apistep.resilience.RateLimits;
import dev.apistep.resilience.ResilientSender;
import dev.apistep.result.ResultAssembler.FinishedStep;
import dev.apistep.result.ResultAssembler;
import dev.apistep.result.StepResult;
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

    public StepPipeline(StepEventParser parser, RequestRenderer renderer, TraceHeader trace, Authenticator authenticator,
            RequestGuard guard,
            HttpClients clients, DestinationPolicy destinations, RateLimits rateLimits, ResilientSender sender,
            Capturer capturer, ResultAssembler assembler, StepLog log, ObjectMapper mapper) {
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
        StepState state = StepState.start(rawEvent);
        try {
            state = read(state, rawEvent, invocationRemainingMs);
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
        return finish(state, requestId);
    }

    /** An event whose bytes are not JSON at all: answered and logged like every other. */
    public StepResult unreadable(String requestId) {
        return finish(StepState.start(null).withFailure(StepError.unreadableEvent()), requestId).result();
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

    /** Limit: the tenant's and the destination's rate limits. */
    private StepState limit(StepState state) {
        rateLimits.acquire(state.event().tenantId(), state.request().uri());
        return state;
    }

    /** Send: the OAuth2 token, then retries, circuit breaker and redirects, within the deadline. */
    private StepState send(StepState state) {
        Authenticator.Exchanged exchanged = authenticator.send(state.request(), state.credentials(), state.deadline(),
                state.warnings(), request -> sender.send(request, state.event().step().options(), state.deadline(),
                        state.warnings()));
        ResponseDocument response = exchanged.attempts().response() == null ? null
                : ResponseDocument.of(exchanged.attempts().response(), mapper);
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

    /** Result: the branch, the variables and, in test and render modes, the traces; then the step's log line. */
    private StepRun finish(StepState state, String requestId) {
        StepEvent event = state.event();
        StepResult result = assembler.assemble(new FinishedStep(event == null ? null : event.step(), state.mode(),
                event == null ? state.inputVariables() : event.variables(), state.request(),
                event == null ? Set.of() : Authenticator.secretNames(event.step().auth()), secretValues(state),
                state.response(), state.changes(), state.failure(), state.attempts(), state.millisSinceStart(),
                state.warnings().list(), state.deadline()));
        log.write(event, state.request() == null ? null : state.request().uri().getHost(), requestId, result);
        return new StepRun(result, event == null ? null : event.callback());
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
