package dev.apistep.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.LosslessJson;
import dev.apistep.pipeline.StepRun;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The same step event, however its trigger delivers it: as is (a direct invocation), as the body of a
 * Function URL or API Gateway request (the result is the HTTP response body; a request that AWS did not
 * authenticate, a Function URL with auth NONE, needs a caller's credential as in container mode, else 401;
 * when a webhook secret is configured, an authenticated one must still be signed with it), as the body of each SQS
 * record (records whose step failed in a way worth retrying are reported as batch item failures), or as
 * the {@code detail} of an EventBridge event.
 */
final class TriggerEnvelopes {

    private final ObjectMapper mapper;
    private final Webhooks webhooks;
    private final Callers callers;

    /**
     * {@code webhooks}: with a secret configured, every HTTP request must carry a valid Standard Webhooks signature
     * or, when AWS did not authenticate it, a credential {@code callers} admits.
     */
    TriggerEnvelopes(ObjectMapper mapper, Webhooks webhooks, Callers callers) {
        this.mapper = mapper;
        this.webhooks = webhooks;
        this.callers = callers;
    }

    static boolean isEnvelope(JsonNode event) {
        return isHttpRequest(event) || isSqsBatch(event) || isEventBridge(event);
    }

    Object handle(JsonNode event, Function<JsonNode, StepRun> step) {
        return handle(event, (stepEvent, deliveryId) -> step.apply(stepEvent));
    }

    /**
     * The same, handing the step the trigger's delivery id (a request's {@code webhook-id}, an SQS record's
     * {@code messageId}): the idempotency key of an event that names none (contract §6).
     */
    Object handle(JsonNode event, BiFunction<JsonNode, String, StepRun> step) {
        if (isHttpRequest(event)) {
            byte[] body = httpBody(event);
            if (authenticatedByAws(event) && !webhooks.admits(name -> header(event, name), body)) {
                return httpError(401, WebhookSignature.REFUSED_BODY);
            }
            Optional<Callers.Caller> caller = authenticatedByAws(event) ? Optional.of(Callers.Caller.PLATFORM)
                    : callers.admit(name -> header(event, name), body);
            if (caller.isEmpty()) {
                return httpError(401, Callers.REFUSED_BODY);
            }
            JsonNode stepEvent;
            try {
                stepEvent = caller.get().bind(body == null ? NullNode.getInstance() : parse(new String(body, StandardCharsets.UTF_8)));
            } catch (Callers.OtherTenant refused) {
                return httpError(403, Callers.OTHER_TENANT_BODY);
            }
            return httpResponse(step.apply(stepEvent, header(event, "webhook-id")).answer());
        }
        if (isSqsBatch(event)) {
            return sqsBatch(event, step);
        }
        if (isEventBridge(event)) {
            return step.apply(event.get("detail"), null).answer();
        }
        return step.apply(event, null).answer();
    }

    /**
     * Whether AWS authenticated the request before it reached the function (IAM, a JWT or Lambda authorizer): then
     * {@code requestContext.authorizer} is set, which a caller cannot forge.
     */
    private static boolean authenticatedByAws(JsonNode request) {
        JsonNode authorizer = request.path("requestContext").path("authorizer");
        return authorizer.isObject() && !authorizer.isEmpty();
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

    /** The request body's bytes as sent (base64 decoded); null when there is none or it cannot be read. */
    private static byte[] httpBody(JsonNode request) {
        JsonNode body = request.get("body");
        if (body == null || !body.isTextual()) {
            return null;
        }
        if (!request.path("isBase64Encoded").asBoolean(false)) {
            return body.textValue().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(body.textValue());
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    /** A request header, whatever its case (Function URLs lower-case names, REST APIs do not). */
    private static String header(JsonNode request, String name) {
        Iterator<Map.Entry<String, JsonNode>> headers = request.path("headers").fields();
        while (headers.hasNext()) {
            Map.Entry<String, JsonNode> header = headers.next();
            if (header.getKey().equalsIgnoreCase(name) && header.getValue().isTextual()) {
                return header.getValue().textValue();
            }
        }
        return null;
    }

    /** No step runs for a request without its credential (401), or naming another tenant than it (403). */
    private ObjectNode httpError(int status, String body) {
        ObjectNode response = mapper.createObjectNode().put("statusCode", status);
        response.putObject("headers").put("content-type", "application/json");
        return response.put("body", body).put("isBase64Encoded", false);
    }

    private ObjectNode httpResponse(Object answer) {
        ObjectNode response = mapper.createObjectNode().put("statusCode", 200);
        response.putObject("headers").put("content-type", "application/json");
        response.put("body", LosslessJson.write(mapper, answer)).put("isBase64Encoded", false);
        return response;
    }

    /**
     * Each record's body is a step. A record is reported failed, so that SQS delivers it again, when its
     * step ended with a retryable error: a transport failure or a status that says "try again later".
     * A failure branch that would end the same way again (a 404, an invalid event) is not retried.
     */
    private ObjectNode sqsBatch(JsonNode batch, BiFunction<JsonNode, String, StepRun> step) {
        ObjectNode response = mapper.createObjectNode();
        ArrayNode failures = response.putArray("batchItemFailures");
        for (JsonNode record : batch.get("Records")) {
            var result = step.apply(parse(record.path("body").asText("")),
                    record.path("messageId").isTextual() ? record.get("messageId").textValue() : null).result();
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
}
