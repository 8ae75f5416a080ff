package dev.apistep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.capture.Capturer;
import dev.apistep.capture.ResponseDocument;
import dev.apistep.core.Deadline;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.NameValue;
import dev.apistep.core.Warnings;
import dev.apistep.destination.DestinationPolicy;
import dev.apistep.destination.RequestGuard;
import dev.apistep.egress.TraceHeader;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.read.StepEventParser;
import dev.apistep.result.ResultAssembler;
import dev.apistep.result.StepResult;
import dev.apistep.step.StepEvent;
import dev.apistep.step.StepOptions;
import dev.apistep.template.RequestRenderer;
import dev.apistep.template.SecretStore;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The engine's own cost for one step, no network: read the event, validate, render, check headers and
 * destination, read the response, capture, assemble and write the result. The same stages, in the same
 * order, as {@code StepPipeline}; the response stands in for the one the server would send.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EngineBenchmark {

    /** A public address for the destination check (the benchmark's hosts file maps the name to it). */
    static final String BASE = "https://api.example.com";

    /** The stages, built as {@code PipelineProducer} builds them. */
    @State(Scope.Benchmark)
    public static class Engine {
        final ObjectMapper mapper = LosslessJson.newMapper();
        final StepEventParser parser = new StepEventParser();
        final RequestRenderer renderer = new RequestRenderer(mapper, "api-step/bench",
                new SecretStore(new SecretStore.Sources(name -> null, Optional.empty(), Duration.ofMinutes(5)), mapper));
        final TraceHeader trace = new TraceHeader(() -> null);
        final RequestGuard guard = new RequestGuard();
        final DestinationPolicy destinations = new DestinationPolicy(List.of());
        final Capturer capturer = new Capturer(mapper);
        final ResultAssembler assembler = new ResultAssembler(mapper);

        byte[] run(byte[] eventBytes, HttpResponse response) throws IOException {
            JsonNode raw = mapper.readTree(eventBytes);
            StepEvent event = parser.parse(raw);
            Warnings warnings = new Warnings();
            OutboundRequest request = trace.propagate(renderer.render(event, warnings));
            guard.check(request);
            destinations.check(request.uri());
            ResponseDocument document = ResponseDocument.of(response, mapper);
            ObjectNode changes = capturer.capture(event.step().capture(), document, warnings, Deadline.afterMillis(StepOptions.MAX_TIMEOUT_MS));
            StepResult result = assembler.assemble(new ResultAssembler.FinishedStep(event.step(), event.mode(),
                    event.variables(), request, Set.of(), Set.of(), document, changes, null, 1, 0, warnings.list(), Deadline.afterMillis(StepOptions.MAX_TIMEOUT_MS)));
            return mapper.writeValueAsBytes(result);
        }
    }

    static HttpResponse jsonResponse(String body) {
        return new HttpResponse(200, List.of(new NameValue("Content-Type", "application/json")),
                body.getBytes(StandardCharsets.UTF_8), URI.create(BASE + "/orders/A-17"));
    }

    /** An event as the runtime hands it over (bytes) and the response its step gets. */
    public abstract static class Prepared {
        byte[] event;
        HttpResponse response;

        void prepare(Engine engine, ObjectNode step, int responseBytes) throws IOException {
            event = engine.mapper.writeValueAsBytes(step);
            response = jsonResponse(Workloads.orderResponse(responseBytes));
        }
    }

    @State(Scope.Benchmark)
    public static class TypicalStep extends Prepared {

        @Setup(Level.Trial)
        public void prepare(Engine engine) throws IOException {
            prepare(engine, Workloads.typicalStep(BASE), 2048);
        }
    }

    /** A response of {@code responseKb} with 50 captures into it. */
    @State(Scope.Benchmark)
    public static class LargeResponse extends Prepared {
        @Param({"128", "256", "512", "1024"})
        public int responseKb;

        @Setup(Level.Trial)
        public void prepare(Engine engine) throws IOException {
            prepare(engine, Workloads.stepWithCaptures(BASE, 50), responseKb * 1024);
        }
    }

    /** An event with {@code variableCount} conversation variables. */
    @State(Scope.Benchmark)
    public static class ManyVariables extends Prepared {
        @Param({"125", "250", "500", "1000"})
        public int variableCount;

        @Setup(Level.Trial)
        public void prepare(Engine engine) throws IOException {
            prepare(engine, Workloads.stepWithVariables(BASE, variableCount), 2048);
        }
    }

    @Benchmark
    public byte[] typicalStep(Engine engine, TypicalStep step) throws IOException {
        return engine.run(step.event, step.response);
    }

    @Benchmark
    public byte[] largeResponse(Engine engine, LargeResponse step) throws IOException {
        return engine.run(step.event, step.response);
    }

    @Benchmark
    public byte[] manyVariables(Engine engine, ManyVariables step) throws IOException {
        return engine.run(step.event, step.response);
    }
}
