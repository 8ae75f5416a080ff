package dev.apistep.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.pipeline.PipelineProducer;
import dev.apistep.pipeline.StepConfig;
import dev.apistep.pipeline.StepPipeline;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;

/**
 * The function: one step event in, one result out, whatever trigger delivered it. The event is taken as
 * a loose JSON tree so that a malformed one is answered with a result naming the fault, never with a
 * function error.
 */
public class StepFunction {

    private final StepPipeline pipeline;
    private final TriggerEnvelopes envelopes;

    @Inject
    public StepFunction(StepPipeline pipeline, ObjectMapper mapper, StepConfig config) {
        this.pipeline = pipeline;
        this.envelopes = new TriggerEnvelopes(mapper, PipelineProducer.webhookSignature(config));
    }

    @Funq("apiStep")
    public Object apiStep(JsonNode event) {
        return envelopes.handle(event, step -> pipeline.run(step, Invocation.remainingMillis(), Invocation.currentRequestId()));
    }
}
