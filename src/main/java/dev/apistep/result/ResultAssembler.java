package dev.apistep.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepError;
import dev.apistep.resilience.Retries;
import dev.apistep.step.OnError;
import dev.apistep.step.Step;
import java.util.List;

/**
 * The result stage: decides the branch from the status and the error, applies the captured variables,
 * picks the tags of the branch taken, and keeps the whole under Lambda's response limit.
 */
public final class ResultAssembler {

    private final ResultBudget budget;

    public ResultAssembler(ObjectMapper mapper) {
        this.budget = new ResultBudget(mapper);
    }

    /** Everything a finished step hands over; {@code step} is null when the event could not be read. */
    public record Outcome(
            Step step,
            ObjectNode inputVariables,
            ObjectNode changes,
            Integer status,
            StepError failure,
            int attempts,
            long durationMs,
            List<String> warnings,
            RequestTrace request,
            ResponseTrace response,
            JsonNode imported) {
    }

    /** The result for a failure before any event could be read: no step, no variables. */
    public StepResult unread(StepError failure) {
        return assemble(new Outcome(null, JsonNodeFactory.instance.objectNode(), null, null, failure, 0, 0, List.of(), null,
                null, null));
    }

    public StepResult assemble(Outcome outcome) {
        StepError error = outcome.failure();
        if (error == null && outcome.status() != null && outcome.step() != null
                && !outcome.step().options().isSuccess(outcome.status())) {
            error = statusError(outcome.status());
        }
        Branch branch = branch(error, outcome.step());
        ObjectNode changes = outcome.changes() == null ? JsonNodeFactory.instance.objectNode() : outcome.changes();
        ObjectNode variables = outcome.inputVariables().deepCopy();
        variables.setAll(changes);
        List<String> tags = outcome.step() == null ? List.of()
                : branch == Branch.SUCCESS ? outcome.step().successTags() : outcome.step().failureTags();
        return budget.fit(new StepResult(branch, variables, changes, outcome.status(), error, outcome.warnings(), tags,
                outcome.attempts(), outcome.durationMs(), outcome.request(), outcome.response(), outcome.imported()),
                outcome.inputVariables());
    }

    private static StepError statusError(int status) {
        return new StepError(ErrorCode.HTTP_STATUS, null,
                "the response status " + status + " is not one of the step's successStatuses",
                Retries.RETRYABLE_STATUSES.contains(status));
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
