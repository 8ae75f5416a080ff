package dev.apistep.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds step events in code, for tests that vary one part of a step. */
public final class StepEvents {

    private final ObjectNode event = LambdaEvents.JSON.createObjectNode();

    private StepEvents(String method, String url) {
        ObjectNode request = event.putObject("step").put("id", "test-step").putObject("request");
        request.put("method", method).put("url", url);
        event.putObject("variables");
    }

    public static StepEvents step(String method, String url) {
        return new StepEvents(method, url);
    }

    public StepEvents mode(String mode) {
        event.put("mode", mode);
        return this;
    }

    public StepEvents variable(String name, Object value) {
        event.with("variables").set(name, LambdaEvents.JSON.valueToTree(value));
        return this;
    }

    public StepEvents variables(String json) {
        event.set("variables", LambdaEvents.read(json));
        return this;
    }

    public StepEvents header(String name, String value) {
        ObjectNode request = request();
        (request.has("headers") ? (com.fasterxml.jackson.databind.node.ArrayNode) request.get("headers")
                : request.putArray("headers")).addObject().put("name", name).put("value", value);
        return this;
    }

    /** Sets any field of {@code step.request} from JSON text. */
    public StepEvents request(String field, String json) {
        request().set(field, LambdaEvents.read(json));
        return this;
    }

    /** Sets any field of {@code step} from JSON text. */
    public StepEvents stepField(String field, String json) {
        event.with("step").set(field, LambdaEvents.read(json));
        return this;
    }

    public StepEvents options(String json) {
        return stepField("options", json);
    }

    public StepEvents capture(String json) {
        return stepField("capture", json);
    }

    public JsonNode invoke() {
        return LambdaEvents.invoke(event);
    }

    public ObjectNode json() {
        return event;
    }

    private ObjectNode request() {
        return (ObjectNode) event.with("step").get("request");
    }
}
