package dev.apistep.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The README's "run it" command: the packaged function, under AWS's runtime interface client, runs the
 * bundled example step against the bundled demo API and prints the result.
 */
public final class LocalDemo {

    private LocalDemo() {
    }

    public static void main(String[] args) throws Exception {
        try (DemoServer api = new DemoServer();
                LocalRuntimeApi runtime = new LocalRuntimeApi();
                PackagedFunction function = PackagedFunction.start(runtime.address(), "127.0.0.1")) {
            String event = LambdaEvents.fixture("demo", Map.of("base", api.base())).toString();
            System.out.println("Event sent to the function:");
            System.out.println(LambdaEvents.read(event).toPrettyString());
            JsonNode result = LambdaEvents.read(runtime.invokeAndWait(event, 30_000));
            System.out.println("Result (function log: target/packaged-function.log):");
            System.out.println(result.toPrettyString());
            if (!"success".equals(result.path("branch").asText())) {
                System.exit(1);
            }
        }
    }
}
