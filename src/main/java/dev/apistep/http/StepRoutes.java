package dev.apistep.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.StepError;
import dev.apistep.function.StepFunction;
import dev.apistep.function.Callers;
import dev.apistep.pipeline.StepConfig;
import dev.apistep.pipeline.StepPipeline;
import dev.apistep.result.ResultAssembler;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Container mode's {@code POST /} and {@code POST /apiStep} (the function's name, taken over from Funqy HTTP, which
 * would log a body it could not parse and answer an empty 400): the caller check of contract §11 (a bearer token
 * from {@code API_STEP_CALLERS} or a Standard Webhooks signature, else 401 and no step; a tenant-bound token fixes
 * the event's tenant, 403 when the event names another); a bound on concurrent steps (a step takes a slot first and
 * gives it back when both its response and the step have ended; with none free it is answered at once with 503,
 * {@code Retry-After} and a failure result, so a burst never piles up in a queue); and a body that is not JSON gets an
 * INVALID_EVENT result, as on Lambda. A caller that asks for a stream ({@code Accept: application/x-ndjson}) gets the event's interim line
 * while the step runs, then the result line ({@link InterimStream}); whatever is answered before the step runs (401,
 * 403, 413, 503, an unreadable event) is the plain JSON response all the same.
 */
@Singleton
public class StepRoutes {

    private static final Logger LOG = Logger.getLogger(StepRoutes.class);
    static final String FUNCTION_PATH = "/apiStep";
    private static final String ROOT_PATH = "/";
    /** Before Funqy's route. */
    private static final int FIRST = -1000;
    /**
     * Before Quarkus' own body handler, which reads every body (up to 10 MiB) ahead of the routes: the caller's
     * headers are checked, and a slot taken, before a byte of the body is read.
     */
    private static final int BEFORE_BODY = RouteConstants.ROUTE_ORDER_BODY_HANDLER - 1;

    /** Marks a request refused for want of a slot whose event is read, so that its variables come back. */
    private static final String REFUSED = "api-step.refused";
    /** The admitted caller of a request ({@link Callers.Caller}). */
    private static final String CALLER = "api-step.caller";
    /** The slot a request holds ({@link Slot}). */
    private static final String SLOT = "api-step.slot";
    /** The stream a caller asked for ({@link InterimStream}). */
    private static final String STREAM = "api-step.stream";

    private final Semaphore slots;
    /**
     * Refusals that read their event before answering, as many as there are slots, so that a burst costs at most
     * that many bodies; past them a refusal is answered at once without the event's variables.
     */
    private final Semaphore readRefusals;
    private final StepError full;
    private final String overloaded;
    private final ResultAssembler results;
    private final Callers callers;
    private final StepFunction function;
    private final ObjectMapper mapper;

    public StepRoutes(StepConfig config, ObjectMapper mapper, StepFunction function, Callers callers) {
        this.callers = callers;
        this.function = function;
        this.mapper = mapper;
        int max = config.http().maxConcurrentSteps();
        this.slots = new Semaphore(max);
        this.readRefusals = new Semaphore(max);
        this.results = new ResultAssembler(mapper);
        this.full = StepError.of(ErrorCode.RATE_LIMITED, "CONCURRENCY",
                "this instance is running its maximum of " + max + " concurrent steps; retry in a second");
        this.overloaded = LosslessJson.write(mapper, results.unread(full));
    }

    void install(@Observes Router router) {
        BodyHandler eventBody = BodyHandler.create().setBodyLimit(LosslessJson.MAX_EVENT_BYTES);
        router.route().order(BEFORE_BODY).handler(this::admit).failureHandler(this::answerTooLarge);
        for (String path : List.of(ROOT_PATH, FUNCTION_PATH)) {
            router.post(path).order(FIRST + 1).handler(eventBody).handler(this::requireEventSize).handler(this::requireCaller)
                    .handler(this::answerRefused).blockingHandler(this::run, false);
        }
        // Funqy HTTP would also run the function from a GET's query: no step runs without the check above.
        router.route(FUNCTION_PATH).order(FIRST + 2)
                .handler(request -> request.response().setStatusCode(405).putHeader("Allow", "POST").end());
    }

    private void run(RoutingContext request) {
        JsonNode event;
        try {
            LosslessJson.requireJson(mapper, bodyOf(request));
            event = mapper.readTree(bodyOf(request));
        } catch (IOException unreadable) {
            answerUnreadable(request, unreadable);
            return;
        }
        Callers.Caller caller = request.get(CALLER);
        try {
            event = caller.bind(event);
        } catch (Callers.OtherTenant refused) {
            answer(request, 403, Callers.OTHER_TENANT_BODY);
            return;
        }
        Slot slot = request.get(SLOT);
        // False only when the caller left before the step started: it still runs, as it did before it had a hold.
        boolean held = slot.hold();
        try {
            InterimStream stream = request.get(STREAM);
            if (stream != null) {
                stream.open(interimOf(event), mapper);
            }
            // A signed webhook's id is the idempotency key of an event that names none (contract §6).
            String answer = LosslessJson.write(mapper, function.apiStepDelivered(event, request.request().getHeader("webhook-id")));
            if (stream != null) {
                stream.finish(answer);
            } else {
                answer(request, 200, answer);
            }
        } finally {
            if (held) {
                slot.letGo();
            }
        }
    }

    /** The interim line is an extra: a fault in working it out must not cost the step, which reports its own. */
    private Optional<StepPipeline.Interim> interimOf(JsonNode event) {
        try {
            return function.interim(event);
        } catch (RuntimeException unexpected) {
            LOG.warnf("no interim line for this event: %s", unexpected.getClass().getName());
            return Optional.empty();
        }
    }

    /** Through the function, so that an unreadable event gets its log line like any other. */
    private void answerUnreadable(RoutingContext request, IOException unreadable) {
        answer(request, 200, LosslessJson.write(mapper, function.unreadable(LosslessJson.fault(unreadable))));
    }

    /**
     * An event past the size limit still gets a result, naming the limit: counted here, since Quarkus' own body
     * handler (up to {@code quarkus.http.limits.max-body-size}) may have read the body before this route's.
     */
    private void requireEventSize(RoutingContext request) {
        if (bodyOf(request).length > LosslessJson.MAX_EVENT_BYTES) {
            answerTooLarge(request);
            return;
        }
        request.next();
    }

    /** The same for a body handler's own 413. */
    private void answerTooLarge(RoutingContext request) {
        if (request.response().ended() || (request.failed() && request.statusCode() != 413)) {
            request.next();
            return;
        }
        answer(request, 413, LosslessJson.write(mapper, function.unreadable("the event is larger than "
                + LosslessJson.MAX_EVENT_BYTES + " bytes, Lambda's synchronous limit and this one's: give a large file by url")));
    }

    /** The request body as read by the body handler; empty when there was none. */
    private static byte[] bodyOf(RoutingContext request) {
        return request.body().buffer() == null ? new byte[0] : request.body().buffer().getBytes();
    }

    private static void answer(RoutingContext request, int status, String json) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json);
    }

    /**
     * No step runs for a request without a credential (contract §11), unless the operator admits anonymous callers:
     * one its headers did not admit may still be signed (with a webhook secret), which only its body can show.
     */
    private void requireCaller(RoutingContext request) {
        if (request.get(CALLER) != null) {
            request.next();
            return;
        }
        Optional<Callers.Caller> caller = callers.admit(request.request()::getHeader, bodyOf(request));
        if (caller.isEmpty()) {
            refuseCaller(request);
            return;
        }
        request.put(CALLER, caller.get());
        request.next();
    }

    private static void refuseCaller(RoutingContext request) {
        request.response().putHeader("WWW-Authenticate", "Bearer");
        answer(request, 401, Callers.REFUSED_BODY);
    }

    private void admit(RoutingContext request) {
        // The MCP server admits its own clients, by their own tokens (McpAccess).
        if (request.request().method() != HttpMethod.POST || McpAccess.covers(request.normalizedPath())) {
            request.next();
            return;
        }
        // Before a slot is taken or a byte of the body read: a request without a credential holds neither.
        Optional<Callers.Caller> caller = callers.admitByHeaders(request.request()::getHeader);
        if (caller.isEmpty() && !callers.admitsSignatures()) {
            refuseCaller(request);
            return;
        }
        caller.ifPresent(admitted -> request.put(CALLER, admitted));
        if (!slots.tryAcquire()) {
            request.response().putHeader("Retry-After", "1");
            if (!readRefusals.tryAcquire()) {
                answer(request, 503, overloaded);
                return;
            }
            request.addEndHandler(done -> readRefusals.release());
            request.put(REFUSED, Boolean.TRUE);
            request.next();
            return;
        }
        Slot slot = new Slot();
        request.put(SLOT, slot);
        request.addEndHandler(done -> slot.letGo());
        InterimStream.askedFor(request).ifPresent(stream -> request.put(STREAM, stream));
        request.next();
    }

    /**
     * A request's concurrency slot, given back once its response is done (ended, or the caller gone) and its step,
     * when one runs, has ended: a caller that goes away mid-step (a stream's listener hanging up) does not free a slot
     * that its step still uses.
     */
    private final class Slot {

        /** The response and, while it runs, the step. */
        private final AtomicInteger holders = new AtomicInteger(1);

        /** The step's hold; false when the response is already done, the slot given back. */
        boolean hold() {
            int now = holders.get();
            while (now > 0 && !holders.compareAndSet(now, now + 1)) {
                now = holders.get();
            }
            return now > 0;
        }

        void letGo() {
            if (holders.decrementAndGet() == 0) {
                slots.release();
            }
        }
    }

    /** A refused step still hands back the conversation's variables, as every failure result does. */
    private void answerRefused(RoutingContext request) {
        if (request.get(REFUSED) == null) {
            request.next();
            return;
        }
        answer(request, 503, LosslessJson.write(mapper, results.unread(full, variablesOf(bodyOf(request)))));
    }

    private ObjectNode variablesOf(byte[] event) {
        try {
            LosslessJson.requireJson(mapper, event);
            JsonNode variables = mapper.readTree(event).path("variables");
            return variables.isObject() ? (ObjectNode) variables : mapper.createObjectNode();
        } catch (IOException | RuntimeException unreadable) {
            return mapper.createObjectNode();
        }
    }
}
