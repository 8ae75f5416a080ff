package dev.apistep.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.support.LambdaEvents;

/**
 * The steps and responses the benchmarks run: the "typical step" (5 headers, a JSON body with 5
 * variables, 5 captures on a 2 KB JSON response) and the large inputs (a big response with 50 captures,
 * an event with many variables).
 */
final class Workloads {

    private Workloads() {
    }

    /** The typical step against {@code base} (scheme://host:port). */
    static ObjectNode typicalStep(String base) {
        ObjectNode event = LambdaEvents.JSON.createObjectNode();
        ObjectNode step = event.putObject("step").put("id", "update-order");
        ObjectNode request = step.putObject("request").put("method", "POST").put("url", base + "/orders/{order_id}");
        ArrayNode headers = request.putArray("headers");
        headers.addObject().put("name", "X-Conversation").put("value", "{conversation_id}");
        headers.addObject().put("name", "X-Channel").put("value", "voice");
        headers.addObject().put("name", "Accept-Language").put("value", "{lang}");
        headers.addObject().put("name", "X-Request-Source").put("value", "bot-flow");
        headers.addObject().put("name", "Authorization").put("value", "Bearer {api_token}");
        request.putObject("body").put("type", "json").put("content",
                "{\"order\": \"{order_id}\", \"note\": \"{note}\", \"count\": {count}, \"city\": \"{city}\", \"lang\": \"{lang}\"}");
        ArrayNode capture = step.putArray("capture");
        capture.addObject().put("variable", "order_status").put("path", "response.order.status");
        capture.addObject().put("variable", "total").put("path", "response.order.total");
        capture.addObject().put("variable", "first_sku").put("path", "$.order.items[0].sku");
        capture.addObject().put("variable", "item_count").put("path", "$.order.items.length()");
        capture.addObject().put("variable", "http_status").put("path", "status");
        event.putObject("variables").put("order_id", "A-17").put("conversation_id", "c-9").put("lang", "en")
                .put("api_token", "t0k3n-abc").put("note", "He said \"hi\"\nthen left").put("count", 3)
                .put("city", "São Paulo");
        event.putObject("context").put("tenantId", "acme").put("conversationId", "c-9");
        return event;
    }

    /** About {@code bytes} of JSON: an order with as many items as it takes. */
    static String orderResponse(int bytes) {
        StringBuilder json = new StringBuilder("{\"order\": {\"id\": \"A-17\", \"status\": \"shipped\", \"total\": 42.50, \"items\": [");
        int item = 0;
        while (json.length() < bytes - 120) {
            if (item > 0) {
                json.append(", ");
            }
            json.append("{\"sku\": \"SKU-").append(item).append("\", \"qty\": ").append(item % 7 + 1)
                    .append(", \"name\": \"Item number ").append(item).append("\", \"price\": ").append(item % 50 + 0.99).append('}');
            item++;
        }
        return json.append("]}, \"meta\": {\"page\": 1, \"of\": 1}}").toString();
    }

    /** The typical step with {@code count} captures into items spread through the response. */
    static ObjectNode stepWithCaptures(String base, int count) {
        ObjectNode event = typicalStep(base);
        ArrayNode capture = ((ObjectNode) event.get("step")).putArray("capture");
        for (int i = 0; i < count; i++) {
            capture.addObject().put("variable", "sku_" + i).put("path", "$.order.items[" + (i * 97) + "].sku");
        }
        return event;
    }

    /** The typical step with {@code count} extra conversation variables (only five are used). */
    static ObjectNode stepWithVariables(String base, int count) {
        ObjectNode event = typicalStep(base);
        ObjectNode variables = (ObjectNode) event.get("variables");
        for (int i = 0; i < count; i++) {
            variables.put("slot_" + i, "value of conversation slot number " + i);
        }
        return event;
    }
}
