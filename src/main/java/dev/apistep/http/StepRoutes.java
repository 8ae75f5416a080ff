package dev.apistep.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.pipeline.StepConfig;
import dev.apistep.result.ErrorCode;
import dev.apistep.result.ResultAssembler;
import dev.apistep.result.StepError;
import dev.apistep.step.LosslessJson;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.Semaphore;

/**
 * Container mode around Funqy HTTP's {@code POST /apiStep}: {@code POST /} is the same function; a bound
 * on concurrent steps (a step takes a slot before Funqy sees it and gives it back when its response ends;
 * with none free it is answered at once with 503, {@code Retry-After} and a failure result, so a burst
 * never piles up in a queue); and a body that is not JSON gets an INVALID_EVENT result, as on Lambda,
 * instead of Funqy's empty 400.
 */
@Singleton
public class StepRoutes {

    static final String FUNCTION_PATH = "/apiStep";
    /** Before Funqy's route and its body handler, so a refused request costs nothing. */
    private static final int FIRST = -1000;

    private final Semaphore slots;
    private final String overloaded;
    private final String notJson;

    public StepRoutes(StepConfig config, ObjectMapper mapper) {
        int max = config.http().maxConcurrentSteps();
        this.slots = new Semaphore(max);
        this.overloaded = failure(mapper, StepError.of(ErrorCode.RATE_LIMITED, "CONCURRENCY",
                "this instance is running its maximum of " + max + " concurrent steps; retry in a second"));
        this.notJson = failure(mapper, StepError.unreadableEvent());
    }

    void install(@Observes Router router) {
        router.post("/").order(FIRST - 1).handler(request -> request.reroute(FUNCTION_PATH));
        router.route().order(FIRST).handler(this::admit);
        router.route(FUNCTION_PATH).order(FIRST).failureHandler(this::answerUnreadable);
    }

    private void admit(RoutingContext request) {
        if (request.request().method() != HttpMethod.POST) {
            request.next();
            return;
        }
        if (!slots.tryAcquire()) {
            request.response().setStatusCode(503).putHeader("Retry-After", "1")
                    .putHeader("Content-Type", "application/json").end(overloaded);
            return;
        }
        request.addEndHandler(done -> slots.release());
        request.next();
    }

    /** Funqy fails a body it cannot read with a bare 400. */
    private void answerUnreadable(RoutingContext request) {
        if (request.statusCode() != 400 || request.response().headWritten()) {
            request.next();
            return;
        }
        request.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(notJson);
    }

    private static String failure(ObjectMapper mapper, StepError error) {
        return LosslessJson.write(mapper, new ResultAssembler(mapper).unread(error));
    }
}
