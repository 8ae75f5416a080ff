package dev.apistep.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.core.LosslessJson;
import dev.apistep.destination.DestinationPolicy;
import dev.apistep.egress.ConnectTimeGuard;
import dev.apistep.egress.HttpClients;
import dev.apistep.pipeline.PipelineWithoutQuarkus;
import dev.apistep.pipeline.StepPipeline;
import dev.apistep.result.StepResult;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.OptionalLong;

/**
 * The function's real stages without Quarkus, loopback allowed: what {@link #run} returns is the result exactly as
 * the function writes it.
 */
final class PlainPipeline implements AutoCloseable {

    static final ObjectMapper JSON = LosslessJson.newMapper();

    private final Vertx vertx;
    private final DestinationPolicy previousGuardPolicy;
    private final HttpClients clients;
    private final StepPipeline pipeline;

    PlainPipeline() {
        // Building a Vert.x instance installs the connect-time destination check that HttpClients insists on.
        vertx = Vertx.vertx();
        // HttpClients sets the connect-time check's policy for the whole JVM: the one a Quarkus test application
        // in this JVM set is put back on close, so that no later test runs with this one's.
        previousGuardPolicy = guardPolicy();
        DestinationPolicy destinations = new DestinationPolicy(List.of("127.0.0.1", "localhost"));
        clients = new HttpClients("api-step/schema-test", destinations);
        pipeline = PipelineWithoutQuarkus.build(JSON, clients, destinations);
    }

    /** The result as the caller reads it: written by the function's own mapper and read back. */
    JsonNode run(JsonNode event) {
        return written(pipeline.run(event, OptionalLong.of(30_000), "schema-test").result());
    }

    /** What the caller is answered (a tool call's reply, or the result) when the invocation has {@code remainingMs} left. */
    JsonNode answer(JsonNode event, long remainingMs) {
        try {
            return JSON.readTree(LosslessJson.write(JSON, pipeline.run(event, OptionalLong.of(remainingMs), "schema-test").answer()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode unreadable() {
        return written(pipeline.unreadable("the event is not valid JSON", "schema-test"));
    }

    static JsonNode written(StepResult result) {
        try {
            return JSON.readTree(LosslessJson.write(JSON, result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DestinationPolicy guardPolicy() {
        try {
            Field policy = ConnectTimeGuard.class.getDeclaredField("policy");
            policy.setAccessible(true);
            return (DestinationPolicy) policy.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ConnectTimeGuard keeps its policy elsewhere now: update this test", e);
        }
    }

    @Override
    public void close() {
        clients.close();
        vertx.close();
        if (previousGuardPolicy != null) {
            ConnectTimeGuard.use(previousGuardPolicy);
        }
    }
}
