package dev.apistep.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.result.StepResult;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;

/**
 * The same step event, however its trigger delivers it: as is (a direct invocation), as the body of a
 * Function URL or API Gateway request (the result is the HTTP response body), as the body of each SQS
 * record (records whose step failed in a way worth retrying are reported as batch item failures), or as
 * the {@code detail} of an EventBridge event.
 */
final class TriggerEnvelopes {

    private final ObjectMapper mapper;

    TriggerEnvelopes(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    Object handle(JsonNode event, Function<JsonNode, StepResult> step) {
        if (isHttpRequest(event)) {
            return httpResponse(step.apply(httpBody(event)));
        }
        if (isSqsBatch(event)) {
            return sqsBatch(event, step);
        }
        if (isEventBridge(event)) {
            return step.apply(event.get("detail"));
        }
        return step.apply(event);
    }

    /** API Gateway REST (v1) and HTTP (v2) APIs and Lambda Function URLs all send requestContext. */
    private static boolean isHttpRequest(JsonNode event) {
        return event != null && event.isObject() && event.path("requestContext").isObject()
                && (event.has("httpMethod") || event.has("rawPath") || event.has("routeKey"));
    }

    private static boolean isSqsBatch(JsonNode event) {
        return event != null && event.path("Records").isArray() && !event.path("Records").isEmpty()
                && "aws:sqs".equals(event.path("Records").get(0).path("eventSource").asText());
    }

    private static boolean isEventBridge(JsonNode event) {
        return event != null && event.isObject() && event.has("detail-type") && event.has("source")
                && event.has("detail");
    }

    /** The request body as an event; a body that is not JSON becomes a null event, answered INVALID_EVENT. */
    private JsonNode httpBody(JsonNode request) {
        JsonNode body = request.get("body");
        if (body == null || !body.isTextual()) {
            return NullNode.getInstance();
        }
        String text = body.textValue();
        if (request.path("isBase64Encoded").asBoolean(false)) {
            try {
                text = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                return NullNode.getInstance();
            }
        }
        return parse(text);
    }

    private ObjectNode httpResponse(StepResult result) {
        ObjectNode response = mapper.createObjectNode().put("statusCode", 200);
        response.putObject("headers").put("content-type", "application/json");
        response.put("body", write(result)).put("isBase64Encoded", false);
        return response;
    }

    /**
     * Each record's body is a step. A record is reported failed, so that SQS delivers it again, when its
     * step ended with a retryable error: a transport failure or a status that says "try again later".
     * A failure branch that would end the same way again (a 404, an invalid event) is not retried.
     */
    private ObjectNode sqsBatch(JsonNode batch, Function<JsonNode, StepResult> step) {
        ObjectNode response = mapper.createObjectNode();
        ArrayNode failures = response.putArray("batchItemFailures");
        for (JsonNode record : batch.get("Records")) {
            StepResult result = step.apply(parse(record.path("body").asText("")));
            if (result.error() != null && result.error().retryable()) {
                failures.addObject().put("itemIdentifier", record.path("messageId").asText());
            }
        }
        return response;
    }

    private JsonNode parse(String text) {
        try {
            JsonNode parsed = mapper.readTree(text);
            return parsed == null ? NullNode.getInstance() : parsed;
        } catch (JsonProcessingException notJson) {
            return NullNode.getInstance();
        }
    }

    private String write(StepResult result) {
        try {
            return mapper.writeValueAsString(result);
        } catch (JsonProcessingException unwritable) {
            throw new IllegalStateException("a result must always be writable as JSON", unwritable);
        }
    }
}
