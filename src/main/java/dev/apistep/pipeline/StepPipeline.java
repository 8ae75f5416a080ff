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
import dev.apistep.read.InboundEvent;
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
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.tool.ArgumentValidator;
import dev.apistep.tool.ToolAnswer;
import dev.apistep.tool.ToolArguments;
import dev.apistep.tool.ToolCall;
import dev.apistep.tool.ToolCallEnvelopes;
import dev.apistep.tool.ToolDefinitions;
import dev.apistep.tool.ToolReplies;
import dev.apistep.tool.ToolSchemas;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
    private final ToolCatalogue catalogue;

    public StepPipeline(StepEventParser parser, RequestRenderer renderer, TraceHeader trace, Authenticator authenticator,
            RequestGuard guard,
            HttpClients clients, DestinationPolicy destinations, RateLimits rateLimits, ResilientSender sender,
            Capturer capturer, ResultAssembler assembler, StepLog log, ObjectMapper mapper, SharedState shared,
            ToolCatalogue catalogue) {
        this.shared = shared;
        this.catalogue = catalogue;
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
        InboundEvent inbound = InboundEvent.read(rawEvent);
        return switch (inbound.kind()) {
            case HISTORY -> history(rawEvent, invocationRemainingMs, requestId);
            case TOOLS -> tools(inbound, requestId);
            case TOOL_CALL -> toolCalls(inbound, invocationRemainingMs, requestId);
            case STEP -> step(inbound, invocationRemainingMs, requestId, deliveryId);
        };
    }

    private StepRun step(InboundEvent inbound, OptionalLong invocationRemainingMs, String requestId, String deliveryId) {
        StepState state = StepState.start(inbound.variables());
        Idempotency.Claimed claim = null;
        try {
            state = read(state, inbound, invocationRemainingMs);
            Idempotency.Begun begun = remember(state, inbound, deliveryId);
            if (begun != null && begun.replay() != null) {
                return replay(state, begun.replay(), requestId);
            }
            claim = begun == null ? null : begun.claim();
            if (state.mode() != Mode.IMPORT) {
                state = perform(state);
            }
        } catch (StepFailure failure) {
            state = state.withFailure(failure.error());
        } catch (RuntimeException | StackOverflowError unexpected) {
            // A bug, not input: the step still gets its answer, and no other step is affected.
            state = state.withFailure(internal(unexpected));
        }
        return finish(state, requestId, claim);
    }

    /**
     * The stages that make and send the request: render, check and, unless it is a dry run, limit, send, capture. A
     * stage's failure is kept with what the stages before it made (the request as rendered, the response as read).
     */
    private StepState perform(StepState state) {
        try {
            state = render(state);
            state = check(state);
            if (state.sends()) {
                state = limit(state);
                state = send(state);
                state = capture(state);
            }
            return state;
        } catch (StepFailure failure) {
            return state.withFailure(failure.error());
        } catch (RuntimeException | StackOverflowError unexpected) {
            // A bug, not input: the step still gets its answer, and no other step is affected.
            return state.withFailure(internal(unexpected));
        }
    }

    /**
     * A model's tool calls (contract §8), one after the other, each answered in its platform's shape; a call runs the
     * catalogue entry it names (or the event's own step, when its tool has that name) with its arguments validated
     * first: a call whose arguments do not validate sends nothing.
     */
    private StepRun toolCalls(InboundEvent inbound, OptionalLong invocationRemainingMs, String requestId) {
        if (inbound.fault() != null) {
            return finish(StepState.start(inbound.variables()).withFailure(inbound.fault().error()), requestId, null);
        }
        List<ToolReplies.Reply> replies = new ArrayList<>();
        ToolRun last = null;
        // The calls share one deadline: the invocation's, or one step's cap where the binding has none.
        Deadline batch = Deadline.afterMillis(invocationRemainingMs.orElse(StepOptions.MAX_TIMEOUT_MS + Deadline.ANSWER_MARGIN_MS));
        for (ToolCall call : inbound.toolCalls().calls()) {
            if (replies.size() == ToolCallEnvelopes.MAX_CALLS) {
                replies.add(new ToolReplies.Reply(call, ToolAnswer.refused(StepError.of(ErrorCode.INVALID_ARGUMENTS,
                        null, "at most " + ToolCallEnvelopes.MAX_CALLS + " tool calls are run per event")), null));
                continue;
            }
            if (last != null && batch.remainingMillis() <= Deadline.ANSWER_MARGIN_MS) {
                replies.add(new ToolReplies.Reply(call, ToolAnswer.refused(StepError.of(ErrorCode.TIMEOUT, null,
                        "no time was left for this call after the ones before it")), null));
                continue;
            }
            last = toolCall(inbound, call, OptionalLong.of(batch.remainingMillis()), requestId);
            replies.add(new ToolReplies.Reply(call, last.answer(), last.fullResult()));
        }
        return new StepRun(last.run().result(), last.run().callback(),
                ToolReplies.answer(inbound.toolCalls().shape(), replies));
    }

    /** One call's run, its answer, and (test mode) its full result. */
    public record ToolRun(StepRun run, ToolAnswer answer, JsonNode fullResult) {
    }

    /**
     * A call of the catalogue's tool {@code name} that comes without an event (MCP's {@code tools/call}): run as a
     * tool-call event of {@code tenantId} (null: none) would be, its arguments checked first.
     */
    public ToolRun callTool(String name, JsonNode arguments, String tenantId, OptionalLong invocationRemainingMs,
            String requestId) {
        ObjectNode event = mapper.createObjectNode();
        if (tenantId != null) {
            event.putObject("context").put("tenantId", tenantId);
        }
        InboundEvent inbound = InboundEvent.read(event);
        return toolCall(inbound, new ToolCall(ToolCall.Platform.MCP, "", name, arguments), invocationRemainingMs,
                requestId);
    }

    /** The catalogue's tools as a model is shown them, none of their variables bound. */
    public List<ToolDefinitions.Definition> toolDefinitions() {
        return catalogue.entries().stream().map(entry -> entry.definition(Set.of())).toList();
    }

    /** What a voice runtime says if a call has not answered after {@code afterMs}. */
    public record Interim(long afterMs, String text) {
    }

    /**
     * The interim line of an event (contract §8): its tool's delayed message, rendered over the variables the call
     * will start with (arguments that do not validate give none: such a call answers at once); empty when there is none.
     */
    public java.util.Optional<Interim> interim(JsonNode rawEvent) {
        try {
            InboundEvent inbound = InboundEvent.read(rawEvent);
            StepEvent event = switch (inbound.kind()) {
                case STEP -> inbound.fault() == null ? parser.parse(rawEvent, inbound.variables()) : null;
                case TOOL_CALL -> inbound.fault() == null
                        ? readTool(StepState.start(inbound.variables()), inbound,
                                bind(inbound, inbound.toolCalls().calls().get(0)), inbound.toolCalls().calls().get(0),
                                OptionalLong.empty()).event()
                        : null;
                default -> null;
            };
            if (event == null || event.step().tool() == null || event.step().tool().messages().delayed() == null) {
                return java.util.Optional.empty();
            }
            var messages = event.step().tool().messages();
            return java.util.Optional.of(new Interim(messages.delayedAfterMs(),
                    ToolAnswer.render(messages.delayed(), event.variables())));
        } catch (StepFailure notRunnable) {
            return java.util.Optional.empty();
        }
    }

    private ToolRun toolCall(InboundEvent inbound, ToolCall call, OptionalLong invocationRemainingMs, String requestId) {
        StepState state = StepState.start(inbound.variables());
        ToolCatalogue.Entry entry = null;
        try {
            entry = bind(inbound, call);
            state = readTool(state, inbound, entry, call, invocationRemainingMs);
            state = perform(state);
        } catch (StepFailure failure) {
            state = state.withFailure(failure.error());
        } catch (RuntimeException | StackOverflowError unexpected) {
            state = state.withFailure(internal(unexpected));
        }
        StepRun run = finish(state, requestId, null);
        ToolAnswer answer = entry == null || state.event() == null ? ToolAnswer.refused(run.result().error())
                : ToolAnswer.of(entry.tool(), run.result(), state.event().variables(), masker(state), mapper);
        boolean traced = state.mode() == Mode.TEST || state.mode() == Mode.RENDER;
        return new ToolRun(run, answer, traced ? mapper.valueToTree(run.result()) : null);
    }

    /** The step a call names: the event's own, when its tool has the call's name, else the catalogue's entry. */
    private ToolCatalogue.Entry bind(InboundEvent inbound, ToolCall call) {
        ToolCatalogue.Entry own = ownStep(inbound);
        if (own != null && own.tool() != null && own.tool().name().equals(call.name())) {
            return own;
        }
        ToolCatalogue.Entry entry = catalogue.find(call.name());
        if (entry == null) {
            throw new StepFailure(ErrorCode.INVALID_ARGUMENTS, "name", call.name().isEmpty()
                    ? "the tool call names no tool; the tools are " + toolNames()
                    : "there is no tool named " + shown(call.name()) + "; the tools are " + toolNames());
        }
        return entry;
    }

    /** The event's own step, read, as an entry without defaults (the event's variables are bound); null without one. */
    private ToolCatalogue.Entry ownStep(InboundEvent inbound) {
        JsonNode step = inbound.raw().get("step");
        if (step == null || !step.isObject()) {
            return null;
        }
        return new ToolCatalogue.Entry("step", parser.parse(inbound.raw(), inbound.variables()).step(),
                mapper.createObjectNode());
    }

    /**
     * Read, for a tool call: the arguments validated against the tool's schema (less the variables the event binds),
     * then the step event whose variables are the defaults, the arguments and the bound variables, in that order.
     */
    private StepState readTool(StepState state, InboundEvent inbound, ToolCatalogue.Entry entry, ToolCall call,
            OptionalLong invocationRemainingMs) {
        Deadline deadline = Deadline.forStep(entry.step().options().timeoutMs(), StepOptions.MAX_TIMEOUT_MS,
                invocationRemainingMs);
        ObjectNode bound = inbound.variables();
        ObjectNode schema = ToolSchemas.input(entry.tool(), entry.defaults(), inbound.variableNames());
        ObjectNode arguments = ArgumentValidator.validate(schema, ToolArguments.parse(call.arguments(), mapper), deadline);
        ObjectNode variables = entry.defaults().deepCopy();
        variables.setAll(arguments);
        variables.setAll(bound);
        return state.withEvent(parser.forTool(inbound.raw(), entry.step(), variables), deadline);
    }

    /** {@code mode: tools}: the catalogue's definitions (or the event's own tool's) in each platform's form. */
    private StepRun tools(InboundEvent inbound, String requestId) {
        StepState state = StepState.start(inbound.variables());
        ObjectNode definitions = null;
        try {
            Set<String> boundNames = inbound.variableNames();
            List<ToolDefinitions.Definition> listed = new ArrayList<>();
            ToolCatalogue.Entry own = ownStep(inbound);
            if (own != null) {
                if (own.tool() == null) {
                    throw StepFailure.invalidStep("step.tool", "step.tool is required in tools mode");
                }
                listed.add(own.definition(boundNames));
            } else {
                catalogue.entries().forEach(entry -> listed.add(entry.definition(boundNames)));
                if (listed.isEmpty()) {
                    state.warnings().add("no tools: the catalogue (API_STEP_CATALOG) is empty or not configured");
                }
            }
            definitions = ToolDefinitions.of(listed);
        } catch (StepFailure failure) {
            state = state.withFailure(failure.error());
        }
        StepResult listedResult = assembler.assemble(new FinishedStep(null, Mode.TOOLS, state.inputVariables(), null,
                Set.of(), Set.of(), null, null, state.failure(), 0, state.millisSinceStart(), state.warnings().list(),
                null));
        StepResult result = listedResult.withTools(definitions);
        log.write(null, null, requestId, result);
        return new StepRun(result, null);
    }

    private String toolNames() {
        List<String> names = catalogue.entries().stream().map(entry -> entry.tool().name()).toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** A name as a model wrote it, cut: it is echoed to the model, never to a log. */
    private static String shown(String name) {
        return "\"" + (name.length() > 64 ? name.substring(0, 64) + "…" : name) + "\"";
    }

    /** An event whose bytes are not JSON at all ({@code fault} says why): answered and logged like every other. */
    public StepResult unreadable(String fault, String requestId) {
        return finish(StepState.start(StepEventParser.variablesOf(null)).withFailure(StepError.unreadableEvent(fault)),
                requestId, null).result();
    }

    /** Read: the event validated (a cURL command read into a request), and the step's one deadline. */
    private StepState read(StepState state, InboundEvent inbound, OptionalLong invocationRemainingMs) {
        if (inbound.fault() != null) {
            throw inbound.fault();
        }
        StepEvent event = parser.parse(inbound.raw(), state.inputVariables());
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
    private Idempotency.Begun remember(StepState state, InboundEvent inbound, String deliveryId) {
        if (state.mode() != Mode.RUN) {
            return null;
        }
        String key = inbound.idempotencyKey();
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
        StepState state = StepState.start(StepEventParser.variablesOf(rawEvent));
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
                listed.warnings(), listed.tags(), 0, listed.durationMs(), null, null, null, null, runs, null);
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
