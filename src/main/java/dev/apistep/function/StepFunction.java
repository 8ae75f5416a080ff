package dev.apistep.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.pipeline.StepPipeline;
import dev.apistep.pipeline.StepRun;
import dev.apistep.result.StepResult;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.OptionalLong;

/**
 * The function: one step event in, one result out, whatever trigger delivered it and whichever binding
 * (Lambda or HTTP) carries it. The event is taken as a loose JSON tree so that a malformed one is answered
 * with a result naming the fault, never with a function error.
 */
public class StepFunction {

    private final StepPipeline pipeline;
    private final CallbackDelivery callbacks;
    private final TriggerEnvelopes envelopes;

    @Inject
    public StepFunction(StepPipeline pipeline, CallbackDelivery callbacks, ObjectMapper mapper, Webhooks webhooks,
            Callers callers) {
        this.pipeline = pipeline;
        this.callbacks = callbacks;
        this.envelopes = new TriggerEnvelopes(mapper, webhooks, callers);
    }

    @Funq("apiStep")
    public Object apiStep(JsonNode event) {
        return envelopes.handle(event, this::step);
    }

    /** Container mode's entry: the request's {@code webhook-id} header, when it has one, is the delivery id. */
    public Object apiStepDelivered(JsonNode event, String deliveryId) {
        return envelopes.handle(event, (stepEvent, triggerId) -> step(stepEvent, triggerId != null ? triggerId : deliveryId));
    }

    /** MCP's {@code tools/call} (container mode's {@code /mcp}): the catalogue's tool, for the caller's tenant. */
    public StepPipeline.ToolRun callTool(String name, JsonNode arguments, String tenantId) {
        return pipeline.callTool(name, arguments, tenantId, Invocation.remainingMillis(), Invocation.currentRequestId());
    }

    /** MCP's {@code tools/list}: the catalogue's tools. */
    public java.util.List<dev.apistep.tool.ToolDefinitions.Definition> toolDefinitions() {
        return pipeline.toolDefinitions();
    }

    /** The line a streaming caller gets while the event's tool call runs (contract §8); empty when it has none. */
    public java.util.Optional<StepPipeline.Interim> interim(JsonNode event) {
        return pipeline.interim(event);
    }

    /** An event whose bytes a binding could not read as JSON ({@code fault} says why): answered and logged like any other. */
    public StepResult unreadable(String fault) {
        return pipeline.unreadable(fault, Invocation.currentRequestId());
    }

    /** The run, its result as delivered to the event's callback (a failed delivery adds a warning). */
    private StepRun step(JsonNode event, String deliveryId) {
        OptionalLong remaining = Invocation.remainingMillis();
        StepRun run = pipeline.run(event, remaining, Invocation.currentRequestId(), deliveryId);
        return new StepRun(callbacks.deliver(run, remaining), run.callback(), run.reply());
    }
}
