package dev.apistep.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.core.LosslessJson;
import dev.apistep.pipeline.StepPipeline;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A streamed answer (contract §8, {@code Accept: application/x-ndjson}): the head as soon as the event is admitted,
 * the event's interim line {@code {"type": "interim", "text"}} once {@code afterMs} have passed since the request
 * arrived if the step is still running, then {@code {"type": "result", "answer"}} with what the plain response's
 * body would be. Every write runs on the request's context, in order, and one atomic state lets the interim line
 * be written at most once and never after the result line or the caller's going away.
 */
final class InterimStream {

    static final String MEDIA_TYPE = "application/x-ndjson";

    private enum State {
        RUNNING, SPOKEN, DONE
    }

    private final RoutingContext request;
    private final Context context;
    private final long arrivedNanos;
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    /** The interim line's timer, set and cancelled on the request's context only. */
    private long timer = -1;

    /** On the request's context, when it arrives: the interim line's delay counts from here. */
    private InterimStream(RoutingContext request) {
        this.request = request;
        this.context = Vertx.currentContext();
        this.arrivedNanos = System.nanoTime();
        request.addEndHandler(done -> stop());
    }

    /** A stream for a request whose {@code Accept} names {@link #MEDIA_TYPE} (with a quality above 0); else empty. */
    static Optional<InterimStream> askedFor(RoutingContext request) {
        boolean asked = request.parsedHeaders().accept().stream()
                .anyMatch(type -> MEDIA_TYPE.equalsIgnoreCase(type.value()) && type.weight() > 0);
        return asked ? Optional.of(new InterimStream(request)) : Optional.empty();
    }

    /** From the step's thread, before the step runs: the head now, and the interim line's timer when there is one. */
    void open(Optional<StepPipeline.Interim> interim, ObjectMapper mapper) {
        context.runOnContext(start -> {
            if (state.get() == State.DONE) {
                return;
            }
            request.response().setStatusCode(200).setChunked(true).putHeader("Content-Type", MEDIA_TYPE).writeHead();
            interim.ifPresent(line -> {
                long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - arrivedNanos);
                String text = LosslessJson.write(mapper, mapper.createObjectNode().put("type", "interim")
                        .put("text", line.text())) + "\n";
                // Vert.x timers take at least 1 ms: an interim line already due goes out at once.
                timer = request.vertx().setTimer(Math.max(1, line.afterMs() - elapsedMs), due -> {
                    if (state.compareAndSet(State.RUNNING, State.SPOKEN)) {
                        request.response().write(text);
                    }
                });
            });
        });
    }

    /** From the step's thread, when the step has ended: the result line, which ends the stream. */
    void finish(String answerJson) {
        context.runOnContext(end -> {
            if (state.getAndSet(State.DONE) == State.DONE) {
                return;
            }
            cancelTimer();
            request.response().end("{\"type\":\"result\",\"answer\":" + answerJson + "}\n");
        });
    }

    /** The response ended, or the caller went away: nothing more is written. */
    private void stop() {
        state.set(State.DONE);
        cancelTimer();
    }

    private void cancelTimer() {
        if (timer >= 0) {
            request.vertx().cancelTimer(timer);
            timer = -1;
        }
    }
}
