package dev.apistep.result;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.capture.ResponseDocument;
import dev.apistep.core.Deadline;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.RetryableStatuses;
import dev.apistep.core.StepError;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.step.Mode;
import dev.apistep.step.OnError;
import dev.apistep.step.Step;
import java.util.List;
import java.util.Set;

/**
 * The result stage: decides the branch from the status and the error, applies the captured variables,
 * picks the tags of the branch taken, and keeps the whole under Lambda's response limit.
 */
public final class ResultAssembler {

    private final ResultBudget budget;

    public ResultAssembler(ObjectMapper mapper) {
        this.budget = new ResultBudget(mapper);
    }

    /**
     * Everything a finished step hands over: {@code step} and {@code mode} are null when the event could not
     * be read, {@code request} when nothing was rendered, {@code response} when nothing came back;
     * {@code secretNames} and {@code secretValues} are what test and render traces mask; {@code deadline}
     * (null when the event could not be read) bounds the listing of a response's paths and the fitting of the
     * result under Lambda's limit.
     */
    public record FinishedStep(
            Step step,
            Mode mode,
            ObjectNode inputVariables,
            OutboundRequest request,
            Set<String> secretNames,
            Set<String> secretValues,
            ResponseDocument response,
            ObjectNode changes,
            StepError failure,
            int attempts,
            long durationMs,
            List<String> warnings,
            Deadline deadline) {
    }

    /** The result for a failure before any event could be read: no step, no variables. */
    public StepResult unread(StepError failure) {
        return unread(failure, JsonNodeFactory.instance.objectNode());
    }

    /** The result for a failure before the step was read, handing back the event's {@code variables} unchanged. */
    public StepResult unread(StepError failure, ObjectNode variables) {
        return assemble(new FinishedStep(null, null, variables, null, Set.of(), Set.of(), null,
                null, failure, 0, 0, List.of(), null));
    }

    public StepResult assemble(FinishedStep outcome) {
        Integer status = outcome.response() == null ? null : outcome.response().response().status();
        StepError error = outcome.failure();
        if (error == null && status != null && outcome.step() != null && !outcome.step().options().isSuccess(status)) {
            error = statusError(status);
        }
        Branch branch = branch(error, outcome.step());
        ObjectNode changes = outcome.changes() == null ? JsonNodeFactory.instance.objectNode() : outcome.changes();
        ObjectNode variables = ResultBudget.variables(outcome.inputVariables(), changes);
        List<String> tags = outcome.step() == null ? List.of()
                : branch == Branch.SUCCESS ? outcome.step().successTags() : outcome.step().failureTags();
        boolean traced = (outcome.mode() == Mode.TEST || outcome.mode() == Mode.RENDER) && outcome.request() != null;
        // Only test and render show traces; a run step does not pay for preparing the masks.
        SecretMasker masker = traced ? new SecretMasker(outcome.secretNames(), outcome.secretValues(), outcome.request()) : null;
        return budget.fit(new StepResult(branch, variables, changes, status, error, outcome.warnings(), tags,
                outcome.attempts(), outcome.durationMs(),
                traced ? Traces.request(outcome.request(), masker) : null,
                traced && outcome.mode() == Mode.TEST && outcome.response() != null
                        ? Traces.response(outcome.response(), masker, outcome.deadline()) : null,
                outcome.mode() == Mode.IMPORT ? outcome.step().imported().toJson() : null),
                outcome.inputVariables(), outcome.deadline());
    }

    private static StepError statusError(int status) {
        return new StepError(ErrorCode.HTTP_STATUS, null,
                "the response status " + status + " is not one of the step's successStatuses",
                RetryableStatuses.contains(status));
    }

    private static Branch branch(StepError error, Step step) {
        if (error == null) {
            return Branch.SUCCESS;
        }
        OnError onError = step == null ? OnError.FAILURE : step.options().onError();
        return switch (onError) {
            case FAILURE -> Branch.FAILURE;
            case CONTINUE -> Branch.SUCCESS;
            case STOP -> Branch.STOP;
        };
    }
}
