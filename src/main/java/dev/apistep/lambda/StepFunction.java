package dev.apistep.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.pipeline.StepPipeline;
import dev.apistep.result.StepResult;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;

/**
 * The function: one step event in, one result out. The event is taken as a loose JSON tree so that a
 * malformed one is answered with a result naming the fault, never with a function error.
 */
public class StepFunction {

    @Inject
    StepPipeline pipeline;

    @Funq("apiStep")
    public StepResult apiStep(JsonNode event) {
        return pipeline.run(event, Invocation.remainingMillis());
    }
}
