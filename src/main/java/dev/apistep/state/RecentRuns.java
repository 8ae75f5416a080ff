package dev.apistep.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.Deadline;
import dev.apistep.core.NameValue;
import dev.apistep.core.StoreUnavailableException;
import dev.apistep.core.Warnings;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.result.RequestTrace;
import dev.apistep.result.SecretMasker;
import dev.apistep.result.StepResult;
import dev.apistep.result.Traces;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Recent runs (contract §6, opt-in): the last {@link #KEEP} runs of each (tenant, step id), newest first, with
 * the request as sent and the response (status, headers, the first {@link #MAX_BODY_BYTES} of the body), masked
 * as test mode masks them. A store that cannot be reached costs a warning, never the step.
 */
public final class RecentRuns {

    public static final int KEEP = 20;
    public static final int MAX_BODY_BYTES = 4 * 1024;
    /** Header values and URLs are cut here, so that 20 runs stay well under the result's size limit. */
    static final int MAX_VALUE_CHARS = 2 * 1024;
    /**
     * One run's JSON at most (20 of them fit a DynamoDB item's 400 KB and stay far under a Lambda response); past
     * it, the headers are left out ({@code headersOmitted}): the bodies (4 KiB each) and the URL always fit.
     */
    static final int MAX_RUN_CHARS = 16 * 1024;

    private static final Logger LOG = Logger.getLogger(RecentRuns.class);

    private final SharedStore store;
    private final Duration ttl;
    private final StoreTimeouts timeouts;
    private final ObjectMapper mapper;

    public RecentRuns(SharedStore store, Duration ttl, StoreTimeouts timeouts, ObjectMapper mapper) {
        this.store = store;
        this.ttl = ttl;
        this.timeouts = timeouts;
        this.mapper = mapper;
    }

    /** One finished run: the result, the request as last sent (null when none was rendered) and the response. */
    public record Run(String tenantId, String stepId, String mode, StepResult result, OutboundRequest request,
            int responseStatus, List<NameValue> responseHeaders, String responseBody, SecretMasker masker) {
    }

    /** Adds the run (newest first); a store that fails adds a warning to {@code warnings} instead. */
    public void record(Run run, Deadline deadline, Warnings warnings) {
        ObjectNode json = mapper.createObjectNode();
        json.put("at", Instant.now().toString());
        json.put("mode", run.mode());
        json.put("branch", run.result().branch().json());
        if (run.result().status() != null) {
            json.put("status", run.result().status());
        }
        json.set("error", run.result().error() == null ? null : mapper.valueToTree(run.result().error()));
        json.put("attempts", run.result().attempts());
        json.put("durationMs", run.result().durationMs());
        if (run.request() != null) {
            RequestTrace request = Traces.request(run.request(), run.masker());
            ObjectNode sent = json.putObject("request");
            sent.put("method", request.method());
            sent.put("url", cut(request.url()));
            sent.set("headers", headers(request.headers()));
            putBody(sent, request.body());
        }
        if (run.responseStatus() > 0) {
            ObjectNode received = json.putObject("response");
            received.put("status", run.responseStatus());
            received.set("headers", headers(run.masker().mask(run.responseHeaders())));
            putBody(received, run.responseBody() == null ? null : run.masker().maskValues(run.responseBody()));
        }
        String text = json.toString();
        if (text.length() > MAX_RUN_CHARS) {
            for (String part : new String[] {"request", "response"}) {
                if (json.get(part) instanceof ObjectNode trace) {
                    trace.remove("headers");
                    trace.put("headersOmitted", true);
                }
            }
            text = json.toString();
        }
        try {
            store.record(key(run.tenantId(), run.stepId()), text, KEEP, ttl, timeouts.after(deadline));
        } catch (StoreUnavailableException down) {
            LOG.warnf("recent runs: the %s store did not keep the run (%s)", store.name(), down.getMessage());
            warnings.add(StoreUnavailableException.warning("recording this run"));
        }
    }

    /** The runs of (tenant, step id), newest first. Throws when the store cannot be reached. */
    public ArrayNode list(String tenantId, String stepId, Deadline deadline) {
        ArrayNode runs = mapper.createArrayNode();
        for (String run : store.runs(key(tenantId, stepId), timeouts.within(deadline))) {
            try {
                runs.add(mapper.readTree(run));
            } catch (java.io.IOException unreadable) {
                LOG.warn("recent runs: an unreadable run was skipped");
            }
        }
        return runs;
    }

    static String key(String tenantId, String stepId) {
        String tenant = tenantId == null ? "" : tenantId;
        return tenant.length() + ":" + tenant + ":" + stepId;
    }

    private ArrayNode headers(List<NameValue> headers) {
        ArrayNode list = mapper.createArrayNode();
        headers.forEach(header -> list.addObject().put("name", cut(header.name())).put("value", cut(header.value())));
        return list;
    }

    private static void putBody(ObjectNode json, String body) {
        if (body == null) {
            return;
        }
        String head = utf8Head(body, MAX_BODY_BYTES);
        json.put("body", head);
        json.put("bodyTruncated", head.length() < body.length());
    }

    /** The longest start of {@code text} whose UTF-8 form fits {@code maxBytes}, never splitting a character. */
    static String utf8Head(String text, int maxBytes) {
        if (text.length() * 3 <= maxBytes || text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return text;
        }
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_VALUE_CHARS ? text : text.substring(0, MAX_VALUE_CHARS) + "...";
    }

}
