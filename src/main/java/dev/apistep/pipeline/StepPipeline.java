package dev.apistep.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.capture.Capturer;
import dev.apistep.capture.ResponseDocument;
import dev.apistep.egress.CallbackDelivery;
import dev.apistep.egress.HttpClients;
import dev.apistep.egress.OAuth2Tokens;
import dev.apistep.egress.OutboundRequest;
import dev.apistep.egress.RedirectFollower;
import dev.apistep.egress.RequestGuard;
import dev.apistep.egress.TraceHeader;
import dev.apistep.resilience.CircuitBreakers;
import dev.apistep.resilience.Deadline;
import dev.apistep.resilience.RateLimits;
import dev.apistep.resilience.Retrier;
import dev.apistep.result.ErrorCode;
import dev.apistep.result.ResultAssembler;
import dev.apistep.result.ResultAssembler.Outcome;
import dev.apistep.result.SecretMasker;
import dev.apistep.result.StepError;
import dev.apistep.result.StepFailure;
import dev.apistep.result.StepResult;
import dev.apistep.result.Traces;
import dev.apistep.result.Warnings;
import dev.apistep.step.Auth;
import dev.apistep.step.LosslessJson;
import dev.apistep.step.Mode;
import dev.apistep.step.Step;
import dev.apistep.step.StepEvent;
import dev.apistep.step.StepEventParser;
import dev.apistep.step.StepOptions;
import dev.apistep.template.RequestRenderer;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * One step, start to end: validate (a cURL command is read into a request here) → render → check →
 * authorize (OAuth2 token) → send (retries and redirects within one deadline; one renewed token on a 401
 * to a cached one) → capture → result. Import mode stops after validation. Every stage failure becomes the failure branch here; anything unexpected becomes INTERNAL.
 */
public final class StepPipeline {

    private static final Logger LOG = Logger.getLogger(StepPipeline.class);
    /** A callback is an acknowledgement: it gets this long, within what is left of the invocation. */
    private static final int CALLBACK_TIMEOUT_MS = 10_000;

    private final StepEventParser parser;
    private final RequestRenderer renderer;
    private final RequestGuard guard;
    private final TraceHeader trace;
    private final HttpClients clients;
    private final OAuth2Tokens tokens;
    private final Retrier retrier;
    private final CircuitBreakers breakers;
    private final RateLimits rateLimits;
    private final CallbackDelivery callbacks;
    private final RedirectFollower sender;
    private final Capturer capturer;
    private final ResultAssembler assembler;
    private final StepLog log;
    private final ObjectMapper mapper;

    public StepPipeline(StepEventParser parser, RequestRenderer renderer, RequestGuard guard, TraceHeader trace,
            HttpClients clients, OAuth2Tokens tokens, Retrier retrier, RateLimits rateLimits, CircuitBreakers breakers,
            RedirectFollower sender, Capturer capturer, ResultAssembler assembler, CallbackDelivery callbacks,
            StepLog log, ObjectMapper mapper) {
        this.parser = parser;
        this.renderer = renderer;
        this.guard = guard;
        this.trace = trace;
        this.clients = clients;
        this.tokens = tokens;
        this.retrier = retrier;
        this.breakers = breakers;
        this.rateLimits = rateLimits;
        this.callbacks = callbacks;
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
    public StepResult run(JsonNode rawEvent, OptionalLong invocationRemainingMs, String requestId) {
        long started = System.nanoTime();
        ObjectNode inputVariables = StepEventParser.variablesOf(rawEvent);
        Warnings warnings = new Warnings();
        StepEvent event;
        try {
            event = parser.parse(rawEvent);
        } catch (StepFailure invalid) {
            return logged(null, null, requestId, assembler.assemble(new Outcome(null, inputVariables, null, null, invalid.error(), 0,
                    millisSince(started), warnings.list(), null, null, null)));
        }
        if (event.step().imported() != null) {
            event.step().imported().warnings().forEach(warnings::add);
        }
        if (event.mode() == Mode.IMPORT) {
            return logged(event, null, requestId, assembler.assemble(new Outcome(event.step(), inputVariables, null, null, null, 0,
                    millisSince(started), warnings.list(), null, null, event.step().imported().toJson())));
        }
        try {
            Executed executed = execute(event, invocationRemainingMs, warnings, started);
            return logged(event, executed.host(), requestId, event.callback() == null ? executed.result()
                    : delivered(event, executed.result(), invocationRemainingMs));
        } catch (RuntimeException unexpected) {
            LOG.errorf("step %s failed unexpectedly: %s at %s", event.step().id(), unexpected.getClass().getName(),
                    unexpected.getStackTrace().length > 0 ? unexpected.getStackTrace()[0] : "?");
            StepError internal = StepError.of(ErrorCode.INTERNAL, null, "the step failed unexpectedly");
            return logged(event, null, requestId, assembler.assemble(new Outcome(event.step(), inputVariables, null, null, internal, 0,
                    millisSince(started), warnings.list(), null, null, null)));
        }
    }

    /** A step's result and the host it called (null when no request was rendered), for the log line. */
    private record Executed(StepResult result, String host) {
    }

    private Executed execute(StepEvent event, OptionalLong invocationRemainingMs, Warnings warnings, long started) {
        Step step = event.step();
        StepOptions options = step.options();
        Deadline deadline = Deadline.forStep(options.timeoutMs(), StepOptions.MAX_TIMEOUT_MS, invocationRemainingMs);
        OutboundRequest request = null;
        ResponseDocument document = null;
        ObjectNode changes = null;
        StepError failure = null;
        int attempts = 0;
        try {
            request = trace.propagate(renderer.render(event, warnings));
            guard.check(request);
            clients.prepare(request.tls());
            if (event.mode() == Mode.RENDER) {
                if (request.credentials() != null) {
                    warnings.add("the oauth2 token is fetched only when the step runs");
                }
            } else {
                rateLimits.acquire(event.tenantId(), request.uri());
                Sent sent = sendAuthorized(request, options, deadline, warnings);
                request = sent.request();
                attempts = sent.attempted().attempts();
                failure = sent.attempted().failure();
                if (sent.attempted().response() != null) {
                    document = ResponseDocument.of(sent.attempted().response(), mapper);
                    changes = capturer.capture(step.capture(), document, warnings, deadline);
                }
            }
        } catch (StepFailure stepFailure) {
            failure = stepFailure.error();
        }
        boolean traced = (event.mode() == Mode.TEST || event.mode() == Mode.RENDER) && request != null;
        // Only test and render show traces; a run step does not pay for preparing the masks.
        SecretMasker masker = traced ? new SecretMasker(secretNames(step.auth()), secretValues(request), request) : null;
        return new Executed(assembler.assemble(new Outcome(step, event.variables(), changes,
                document == null ? null : document.response().status(), failure, attempts, millisSince(started),
                warnings.list(),
                traced ? Traces.request(request, masker) : null,
                traced && event.mode() == Mode.TEST && document != null ? Traces.response(document, masker, deadline) : null, null)),
                request == null ? null : request.uri().getHost());
    }

    /** The result, after delivering it to the event's callback; a failed delivery becomes a warning. */
    private StepResult delivered(StepEvent event, StepResult result, OptionalLong invocationRemainingMs) {
        String json = LosslessJson.write(mapper, result);
        Deadline deadline = Deadline.forStep(CALLBACK_TIMEOUT_MS, StepOptions.MAX_TIMEOUT_MS, invocationRemainingMs);
        return callbacks.deliver(event.callback(), json, deadline).map(result::withWarning).orElse(result);
    }

    /** The request as finally sent (with its token, if any) and what its attempts gave. */
    private record Sent(OutboundRequest request, Retrier.Attempted attempted) {
    }

    /** Adds the OAuth2 token, if any, and sends; a 401 to a cached token renews it once and sends again. */
    private Sent sendAuthorized(OutboundRequest request, StepOptions options, Deadline deadline, Warnings warnings) {
        OAuth2Tokens.Authorized authorized = tokens.authorize(request, deadline, warnings, false);
        Retrier.Attempted attempted = send(authorized.request(), options, deadline, warnings);
        if (!authorized.cached() || attempted.response() == null || attempted.response().status() != 401) {
            return new Sent(authorized.request(), attempted);
        }
        OutboundRequest renewed = tokens.authorize(request, deadline, warnings, true).request();
        Retrier.Attempted again = send(renewed, options, deadline, warnings);
        return new Sent(renewed, new Retrier.Attempted(again.response(), again.failure(), attempted.attempts() + again.attempts()));
    }

    /** Each attempt passes the destination's breaker. */
    private Retrier.Attempted send(OutboundRequest request, StepOptions options, Deadline deadline, Warnings warnings) {
        RedirectFollower.Limits limits = new RedirectFollower.Limits(
                options.followRedirects(), options.maxRedirects(), options.maxResponseBytes());
        return retrier.call(request, options.retry(), deadline,
                sent -> breakers.call(sent.uri(), () -> sender.send(sent, limits, deadline, warnings)));
    }

    /** The values of {@code {secret:NAME}} references, wherever the step used them. */
    private static Set<String> secretValues(OutboundRequest request) {
        if (request == null) {
            return Set.of();
        }
        Set<String> values = new HashSet<>(request.secrets().values());
        if (request.credentials() != null) {
            values.addAll(request.credentials().secrets().values());
        }
        return values;
    }

    private static Set<String> secretNames(Auth auth) {
        return auth instanceof Auth.ApiKey apiKey ? Set.of(apiKey.name()) : Set.of();
    }

    private StepResult logged(StepEvent event, String host, String requestId, StepResult result) {
        log.write(event, host, requestId, result);
        return result;
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000L;
    }
}
