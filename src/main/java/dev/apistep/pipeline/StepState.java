package dev.apistep.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.auth.ClientCredentials;
import dev.apistep.capture.ResponseDocument;
import dev.apistep.core.Deadline;
import dev.apistep.core.StepError;
import dev.apistep.core.Warnings;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.read.StepEventParser;
import dev.apistep.step.Mode;
import dev.apistep.step.StepEvent;

/**
 * What one step has become so far; each stage of {@link StepPipeline} takes one and returns the next.
 * Fields are null until the stage that sets them has run: {@code event} and {@code deadline} (read),
 * {@code request} and {@code credentials} (render; credentials only for OAuth2), {@code response} (send,
 * when an answer came), {@code changes} (capture), {@code failure} (whichever stage failed).
 * {@code inputVariables} are the event's variables however broken the rest of it is, so none is lost;
 * {@code warnings} collects along the way.
 */
record StepState(
        long startedNanos,
        ObjectNode inputVariables,
        Warnings warnings,
        StepEvent event,
        Deadline deadline,
        OutboundRequest request,
        ClientCredentials credentials,
        ResponseDocument response,
        ObjectNode changes,
        StepError failure,
        int attempts) {

    /** {@code inputVariables}: the event's variables as {@link StepEventParser#variablesOf} read them. */
    static StepState start(ObjectNode inputVariables) {
        return new StepState(System.nanoTime(), inputVariables, new Warnings(), null, null, null,
                null, null, null, null, 0);
    }

    Mode mode() {
        return event == null ? null : event.mode();
    }

    /** Whether this step sends its request: run and test do, render and import do not. */
    boolean sends() {
        return mode() == Mode.RUN || mode() == Mode.TEST;
    }

    StepState withEvent(StepEvent read, Deadline stepDeadline) {
        return new StepState(startedNanos, inputVariables, warnings, read, stepDeadline, request, credentials, response,
                changes, failure, attempts);
    }

    StepState withRequest(OutboundRequest rendered, ClientCredentials renderedCredentials) {
        return new StepState(startedNanos, inputVariables, warnings, event, deadline, rendered, renderedCredentials,
                response, changes, failure, attempts);
    }

    /** What sending gave: the request as last sent, the response if one came, and the failure of the last attempt. */
    StepState withExchange(OutboundRequest sent, ResponseDocument answer, StepError lastFailure, int attemptCount) {
        return new StepState(startedNanos, inputVariables, warnings, event, deadline, sent, credentials, answer, changes,
                lastFailure, attemptCount);
    }

    StepState withChanges(ObjectNode captured) {
        return new StepState(startedNanos, inputVariables, warnings, event, deadline, request, credentials, response,
                captured, failure, attempts);
    }

    StepState withFailure(StepError error) {
        return new StepState(startedNanos, inputVariables, warnings, event, deadline, request, credentials, response,
                changes, error, attempts);
    }

    long millisSinceStart() {
        return (System.nanoTime() - startedNanos) / 1_000_000L;
    }
}
