package dev.apistep.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.StoreUnavailableException;
import dev.apistep.result.StepResult;
import dev.apistep.step.StepEvent;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * The one line per step: a JSON object that CloudWatch Logs Insights reads field by field, and that
 * CloudWatch turns into metrics (embedded metric format) without an API call. Metric dimensions are
 * bounded: the function, the branch and the error code; never a tenant, a step id or a URL. Never a URL
 * path, header value or body either: only the host.
 */
final class StepLog {

    /** Its own category: the console handler for it prints the bare message, as EMF requires. */
    static final String CATEGORY = "api-step.steps";
    private static final Logger LOG = Logger.getLogger(CATEGORY);
    /** A caller-supplied name longer than this is cut. */
    private static final int MAX_LOGGED_NAME = 128;
    private static final String NO_ERROR = "NONE";

    private final ObjectMapper mapper;
    private final String service;
    /** The same on every line, written once: {@code ,"CloudWatchMetrics":[…]}} (only the timestamp before it changes). */
    private final String metricDirectives;
    /** API_STEP_ANONYMOUS_CALLERS: every line says that callers are admitted without a credential. */
    private final boolean anonymousCallers;

    StepLog(ObjectMapper mapper, String namespace, String service, boolean anonymousCallers) {
        this.mapper = mapper;
        this.service = service;
        this.anonymousCallers = anonymousCallers;
        this.metricDirectives = ",\"CloudWatchMetrics\":" + directives(mapper, namespace) + "},";
    }

    /** {@code event} is null when the event did not parse; {@code host} when the request was never rendered. */
    void write(StepEvent event, String host, String requestId, StepResult result) {
        ObjectNode line = mapper.createObjectNode();
        line.put("service", service);
        line.put("branch", result.branch().json());
        line.put("errorCode", result.error() == null ? NO_ERROR : result.error().code().name());
        line.put("steps", 1);
        line.put("durationMs", result.durationMs());
        line.put("attempts", result.attempts());
        line.put("stepId", event == null ? null : bounded(event.step().id()));
        line.put("tenant", event == null ? null : bounded(event.tenantId()));
        line.put("mode", event == null ? null : event.mode().name().toLowerCase(Locale.ROOT));
        line.put("method", event == null ? null : event.step().request().method());
        line.put("host", bounded(host));
        line.put("status", result.status());
        line.put("requestId", bounded(requestId));
        if (event != null && event.step().tool() != null) {
            line.put("tool", event.step().tool().name());
        }
        if (result.replayed() != null) {
            line.put("replayed", true);
        }
        line.put("storeFailures", storeFailures(result));
        if (anonymousCallers) {
            line.put("anonymousCallers", true);
        }
        // {"_aws":{"Timestamp":…,"CloudWatchMetrics":[…]},"service":…}: the constant directives are not re-serialized per step.
        String fields = line.toString();
        LOG.info(new StringBuilder(fields.length() + metricDirectives.length() + 32).append("{\"_aws\":{\"Timestamp\":")
                .append(System.currentTimeMillis()).append(metricDirectives).append(fields, 1, fields.length()).toString());
    }

    private static ArrayNode directives(ObjectMapper mapper, String namespace) {
        ObjectNode directive = mapper.createObjectNode().put("Namespace", namespace);
        ArrayNode dimensions = directive.putArray("Dimensions");
        dimensions.addArray().add("service");
        dimensions.addArray().add("service").add("branch");
        dimensions.addArray().add("service").add("errorCode");
        ArrayNode metrics = directive.putArray("Metrics");
        metrics.addObject().put("Name", "steps").put("Unit", "Count");
        metrics.addObject().put("Name", "durationMs").put("Unit", "Milliseconds");
        metrics.addObject().put("Name", "attempts").put("Unit", "Count");
        metrics.addObject().put("Name", "storeFailures").put("Unit", "Count");
        return mapper.createArrayNode().add(directive);
    }

    /** The shared store's failures this step went on without (contract §6: fail open, counted), and a refused key. */
    private static int storeFailures(StepResult result) {
        int failures = (int) result.warnings().stream()
                .filter(warning -> warning.startsWith(StoreUnavailableException.WARNING_PREFIX)).count();
        if (result.error() != null && result.error().message().startsWith(StoreUnavailableException.WARNING_PREFIX)) {
            failures++;
        }
        return failures;
    }

    /** JSON escaping keeps a caller's newline from forging a line; the length is bounded here. */
    private static String bounded(String text) {
        return text == null || text.length() <= MAX_LOGGED_NAME ? text : text.substring(0, MAX_LOGGED_NAME) + "…";
    }
}
