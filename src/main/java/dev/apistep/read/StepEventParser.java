package dev.apistep.read;

import static dev.apistep.read.EventReader.EVENT;
import static dev.apistep.read.EventReader.STEP;
import static dev.apistep.read.EventReader.absent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.StepFailure;
import dev.apistep.read.curl.CurlImporter;
import dev.apistep.step.Auth;
import dev.apistep.step.BodyTemplate;
import dev.apistep.step.BodyType;
import dev.apistep.step.Capture;
import dev.apistep.step.CurlImport;
import dev.apistep.step.FileTemplate;
import dev.apistep.step.Mode;
import dev.apistep.step.OnError;
import dev.apistep.step.RequestTemplate;
import dev.apistep.step.RetryOptions;
import dev.apistep.step.StatusRange;
import dev.apistep.step.Step;
import dev.apistep.step.StepEvent;
import dev.apistep.step.StepOptions;
import dev.apistep.step.TlsMaterial;
import dev.apistep.step.UnresolvedPolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the loose event tree into a validated {@link StepEvent}. Unknown fields are ignored so that
 * newer callers keep working; known fields of the wrong shape fail with the field's path.
 */
public final class StepEventParser {

    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final Pattern STATUS_CLASS = Pattern.compile("([1-5])xx", Pattern.CASE_INSENSITIVE);
    private static final Pattern STATUS_SPAN = Pattern.compile("(\\d{3})(?:\\s*-\\s*(\\d{3}))?");

    private enum AuthType {
        NONE, BASIC, BEARER, APIKEY, OAUTH2
    }

    /**
     * The variables of an event, whatever else is wrong with it, so that a failure loses none of them: the
     * event's own node, not a copy (read it; copy it to change it).
     */
    public static ObjectNode variablesOf(JsonNode event) {
        JsonNode variables = event == null ? null : event.get("variables");
        // Variables that are not text (an unpaired surrogate) cannot be written back as UTF-8: none are echoed.
        return variables != null && variables.isObject() && !hasUnpairedSurrogate(variables)
                ? (ObjectNode) variables
                : JsonNodeFactory.instance.objectNode();
    }

    /** Every string and key of the tree, walked without recursion. */
    private static boolean hasUnpairedSurrogate(JsonNode event) {
        java.util.Deque<JsonNode> pending = new java.util.ArrayDeque<>();
        pending.push(event);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isTextual() && LosslessJson.hasUnpairedSurrogate(node.textValue())) {
                return true;
            }
            if (node.isObject()) {
                var fields = node.fields();
                while (fields.hasNext()) {
                    var field = fields.next();
                    if (LosslessJson.hasUnpairedSurrogate(field.getKey())) {
                        return true;
                    }
                    pending.push(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(pending::push);
            }
        }
        return false;
    }

    /** The event's members other than {@code checked} (its variables when {@link #variablesOf} accepted them). */
    private static boolean hasUnpairedSurrogateBesides(JsonNode event, JsonNode checked) {
        var members = event.fields();
        while (members.hasNext()) {
            var member = members.next();
            if (LosslessJson.hasUnpairedSurrogate(member.getKey())
                    || member.getValue() != checked && hasUnpairedSurrogate(member.getValue())) {
                return true;
            }
        }
        return false;
    }

    public StepEvent parse(JsonNode event) {
        return parse(event, variablesOf(event));
    }

    /**
     * {@code variables}: what {@link #variablesOf} gave for this event, so that the variables, already walked
     * for unpaired surrogates there, are not walked again (the event is walked once in all).
     */
    public StepEvent parse(JsonNode event, ObjectNode variablesOfEvent) {
        if (absent(event) || !event.isObject()) {
            throw EVENT.fail("event", "must be a JSON object");
        }
        if (hasUnpairedSurrogateBesides(event, variablesOfEvent)) {
            // Not text in any encoding: a binding that reads the bytes itself refuses it earlier (LosslessJson.requireJson).
            throw EVENT.fail("event", "holds a string with an unpaired surrogate (\\uD800 to \\uDFFF alone)");
        }
        Mode mode = EVENT.choice(event.get("mode"), "mode", Mode.class, Mode.RUN);
        JsonNode variables = event.get("variables");
        if (!absent(variables) && !variables.isObject()) {
            throw EVENT.fail("variables", "must be an object");
        }
        JsonNode step = event.get("step");
        if (absent(step)) {
            throw EVENT.fail("step", "is required");
        }
        EVENT.object(step, "step");
        Step parsed = step(step);
        if (mode == Mode.IMPORT && parsed.imported() == null) {
            throw STEP.fail("step.request.curl", "is required in import mode");
        }
        refuseLocalFiles(mode, parsed.imported());
        return withContext(event, mode, parsed, variablesOfEvent);
    }

    /**
     * A tool call's step event (contract §8): {@code step} (a catalogue entry's, or the event's own) with the
     * {@code variables} its arguments, defaults and the event's bound variables give, for the event's mode
     * (run when absent), context and callback.
     */
    public StepEvent forTool(JsonNode event, Step step, ObjectNode variables) {
        Mode mode = EVENT.choice(event.get("mode"), "mode", Mode.class, Mode.RUN);
        return withContext(event, mode, step, variables);
    }

    private static StepEvent withContext(JsonNode event, Mode mode, Step step, ObjectNode variables) {
        JsonNode context = event.get("context");
        String tenantId = null;
        String conversationId = null;
        if (!absent(context)) {
            EVENT.object(context, "context");
            tenantId = EVENT.scalarText(context.get("tenantId"), "context.tenantId");
            conversationId = EVENT.scalarText(context.get("conversationId"), "context.conversationId");
        }
        return new StepEvent(mode, step, variables, blankToNull(tenantId), blankToNull(conversationId),
                callback(event.get("callback")));
    }

    /**
     * A run refuses a command that reads local files ({@code -F name=@file}): the import shows the file part
     * with a placeholder for its content, which the builder then fills in the step itself.
     */
    private static void refuseLocalFiles(Mode mode, CurlImport imported) {
        if (mode == Mode.RUN && imported != null && !imported.localFiles().isEmpty()) {
            throw STEP.fail("step.request.curl", "reads the local file " + imported.localFiles().get(0)
                    + ", which an API step cannot: import the command and give the file part's content as base64");
        }
    }

    /** {@code callback}: a URL, or an object with a {@code url}. */
    private static URI callback(JsonNode callback) {
        if (absent(callback)) {
            return null;
        }
        String url = callback.isObject() ? EVENT.string(callback.get("url"), "callback.url", null)
                : EVENT.string(callback, "callback", null);
        try {
            URI uri = url == null ? null : new URI(url.trim());
            if (uri != null && uri.getHost() != null
                    && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
                return uri;
            }
        } catch (java.net.URISyntaxException invalid) {
            // Reported below, as every other shape that is not an absolute http(s) URL.
        }
        throw EVENT.fail("callback", "must be an absolute http or https URL");
    }

    private Step step(JsonNode step) {
        JsonNode id = step.get("id");
        JsonNode tags = step.get("tags");
        List<String> successTags = List.of();
        List<String> failureTags = List.of();
        if (!absent(tags)) {
            STEP.object(tags, "step.tags");
            successTags = STEP.strings(tags.get("success"), "step.tags.success");
            failureTags = STEP.strings(tags.get("failure"), "step.tags.failure");
        }
        JsonNode request = step.get("request");
        if (absent(request)) {
            throw STEP.fail("step.request", "is required");
        }
        STEP.object(request, "step.request");
        CurlImport imported = absent(request.get("curl"))
                ? null
                : CurlImporter.read(STEP.requiredString(request.get("curl"), "step.request.curl"));
        Auth given = auth(step.get("auth"));
        RequestTemplate requestTemplate = imported == null ? request(request) : imported.request();
        Auth auth = given == null && imported != null ? imported.auth() : given;
        TlsMaterial tls = tls(step.get("tls"));
        return new Step(
                absent(id) ? null : STEP.scalarText(id, "step.id"),
                requestTemplate,
                auth,
                tls,
                captures(step.get("capture")),
                options(withImportedOptions(step.get("options"), imported)),
                successTags,
                failureTags,
                imported,
                absent(step.get("tool")) ? null
                        : ToolReader.read(step.get("tool"), step, Credentials.of(requestTemplate, auth, tls)));
    }

    /** Options the cURL command set (-L, --max-redirs, -m) apply where the step sets none itself. */
    private static JsonNode withImportedOptions(JsonNode options, CurlImport imported) {
        if (imported == null) {
            return options;
        }
        ObjectNode merged = absent(options) || !options.isObject()
                ? JsonNodeFactory.instance.objectNode() : ((ObjectNode) options).deepCopy();
        if (imported.followRedirects() != null && !merged.has("followRedirects")) {
            merged.put("followRedirects", imported.followRedirects());
        }
        if (imported.maxRedirects() != null && !merged.has("maxRedirects")) {
            merged.put("maxRedirects", imported.maxRedirects());
        }
        if (imported.timeoutMs() != null && !merged.has("timeoutMs")) {
            merged.put("timeoutMs", imported.timeoutMs());
        }
        return merged.isEmpty() && absent(options) ? options : merged;
    }

    private RequestTemplate request(JsonNode request) {
        String method = STEP.string(request.get("method"), "step.request.method", "GET").trim().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw STEP.fail("step.request.method", "must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS");
        }
        return new RequestTemplate(
                method,
                STEP.requiredString(request.get("url"), "step.request.url").trim(),
                STEP.nameValues(request.get("headers"), "step.request.headers"),
                STEP.nameValues(request.get("query"), "step.request.query"),
                body(request.get("body")));
    }

    private BodyTemplate body(JsonNode body) {
        if (absent(body)) {
            return BodyTemplate.NONE;
        }
        STEP.object(body, "step.request.body");
        JsonNode content = body.get("content");
        JsonNode fields = body.get("fields");
        BodyType inferred = !absent(content) ? BodyType.JSON : !absent(fields) ? BodyType.FORM : BodyType.NONE;
        BodyType type = STEP.choice(body.get("type"), "step.request.body.type", BodyType.class, inferred);
        String contentType = STEP.string(body.get("contentType"), "step.request.body.contentType", null);
        return switch (type) {
            case NONE -> BodyTemplate.NONE;
            case JSON -> {
                if (content == null || content.isMissingNode()) {
                    throw STEP.fail("step.request.body.content", "is required for a json body");
                }
                yield new BodyTemplate(type, content, List.of(), contentType);
            }
            case TEXT -> new BodyTemplate(type,
                    JsonNodeFactory.instance.textNode(STEP.string(content, "step.request.body.content", "")),
                    List.of(), contentType);
            case FORM -> {
                if (!files(fields).isEmpty()) {
                    throw STEP.fail("step.request.body.type", "must be multipart for fields that are files");
                }
                if (!fieldTypes(fields).isEmpty()) {
                    throw STEP.fail("step.request.body.type", "must be multipart for fields with a contentType");
                }
                yield new BodyTemplate(type, null, STEP.nameValues(fields, "step.request.body.fields"), contentType);
            }
            case MULTIPART -> new BodyTemplate(type, null, STEP.nameValues(fields, "step.request.body.fields"),
                    contentType, files(fields), fieldTypes(fields), null);
            case BINARY -> new BodyTemplate(type, null, List.of(), contentType, java.util.Map.of(), java.util.Map.of(),
                    file(body, "step.request.body", false));
        };
    }

    /** The multipart fields that are files ({@code {"name": ..., "file": {...}}}, list form only), by index. */
    private static java.util.Map<Integer, FileTemplate> files(JsonNode fields) {
        java.util.Map<Integer, FileTemplate> files = new java.util.HashMap<>();
        if (absent(fields) || !fields.isArray()) {
            return files;
        }
        for (int i = 0; i < fields.size(); i++) {
            JsonNode file = fields.get(i).get("file");
            if (!absent(file)) {
                String at = "step.request.body.fields[" + i + "].file";
                if (fields.get(i).has("value")) {
                    throw STEP.fail("step.request.body.fields[" + i + "]", "has both a value and a file");
                }
                files.put(i, file(STEP.object(file, at), at, true));
            }
        }
        return files;
    }

    /**
     * The content types of multipart text fields ({@code {"name": ..., "value": ..., "contentType": ...}}, list
     * form only), by index; a file part's type is its {@code file.contentType}.
     */
    private static java.util.Map<Integer, String> fieldTypes(JsonNode fields) {
        java.util.Map<Integer, String> types = new java.util.HashMap<>();
        if (absent(fields) || !fields.isArray()) {
            return types;
        }
        for (int i = 0; i < fields.size(); i++) {
            String at = "step.request.body.fields[" + i + "]";
            String type = STEP.string(fields.get(i).get("contentType"), at + ".contentType", null);
            if (type != null) {
                if (!absent(fields.get(i).get("file"))) {
                    throw STEP.fail(at, "has a contentType beside its file; a file part's type is file.contentType");
                }
                types.put(i, type);
            }
        }
        return types;
    }

    /**
     * A file part or a binary body: {@code content} with its {@code encoding} (base64, the default, or text),
     * or {@code url}; {@code filename} and {@code contentType} (for a binary body, the body's own).
     */
    private static FileTemplate file(JsonNode file, String at, boolean part) {
        String content = STEP.string(file.get("content"), at + ".content", null);
        String url = STEP.string(file.get("url"), at + ".url", null);
        if ((content == null) == (url == null)) {
            throw STEP.fail(at, "needs either content or url");
        }
        FileTemplate.Encoding encoding = STEP.choice(file.get("encoding"), at + ".encoding", FileTemplate.Encoding.class,
                FileTemplate.Encoding.BASE64);
        return new FileTemplate(content, encoding, url == null ? null : url.trim(),
                part ? STEP.string(file.get("filename"), at + ".filename", null) : null,
                part ? STEP.string(file.get("contentType"), at + ".contentType", null) : null);
    }

    private Auth auth(JsonNode auth) {
        if (absent(auth)) {
            return null;
        }
        STEP.object(auth, "step.auth");
        AuthType type = STEP.choice(auth.get("type"), "step.auth.type", AuthType.class, null);
        if (type == null) {
            throw STEP.fail("step.auth.type", "is required");
        }
        return switch (type) {
            case NONE -> null;
            case BASIC -> new Auth.Basic(
                    STEP.scalarText(auth.get("username"), "step.auth.username"),
                    STEP.scalarText(auth.get("password"), "step.auth.password"));
            case BEARER -> new Auth.Bearer(STEP.requiredString(auth.get("token"), "step.auth.token"));
            case APIKEY -> new Auth.ApiKey(
                    STEP.choice(auth.get("in"), "step.auth.in", Auth.Placement.class, Auth.Placement.HEADER),
                    STEP.requiredString(auth.get("name"), "step.auth.name"),
                    STEP.scalarText(auth.get("value"), "step.auth.value"));
            case OAUTH2 -> new Auth.OAuth2(
                    STEP.requiredString(auth.get("tokenUrl"), "step.auth.tokenUrl"),
                    STEP.requiredString(auth.get("clientId"), "step.auth.clientId"),
                    STEP.requiredString(auth.get("clientSecret"), "step.auth.clientSecret"),
                    STEP.string(auth.get("scope"), "step.auth.scope", null),
                    STEP.string(auth.get("audience"), "step.auth.audience", null));
        };
    }

    private static TlsMaterial tls(JsonNode tls) {
        if (absent(tls)) {
            return null;
        }
        STEP.object(tls, "step.tls");
        return new TlsMaterial(
                STEP.string(tls.get("clientCertificate"), "step.tls.clientCertificate", null),
                STEP.string(tls.get("clientKey"), "step.tls.clientKey", null),
                STEP.string(tls.get("clientKeyPassword"), "step.tls.clientKeyPassword", null),
                STEP.string(tls.get("caCertificates"), "step.tls.caCertificates", null));
    }

    private List<Capture> captures(JsonNode captures) {
        List<Capture> result = new ArrayList<>();
        if (absent(captures)) {
            return result;
        }
        if (captures.isObject()) {
            captures.fields().forEachRemaining(entry -> {
                if (entry.getKey().isBlank()) {
                    // As in the list form, where a blank variable is "required": no variable has an empty name.
                    throw STEP.fail("step.capture", "names a variable with an empty name");
                }
                result.add(new Capture(entry.getKey(),
                        STEP.requiredString(entry.getValue(), "step.capture." + entry.getKey()), false, null));
            });
            return result;
        }
        if (!captures.isArray()) {
            throw STEP.fail("step.capture", "must be a list of {variable, path, default?}");
        }
        for (int i = 0; i < captures.size(); i++) {
            String at = "step.capture[" + i + "]";
            JsonNode capture = STEP.object(captures.get(i), at);
            result.add(new Capture(
                    STEP.requiredString(capture.get("variable"), at + ".variable").trim(),
                    STEP.requiredString(capture.get("path"), at + ".path").trim(),
                    capture.has("default"),
                    capture.get("default")));
        }
        return result;
    }

    private StepOptions options(JsonNode options) {
        if (absent(options)) {
            return StepOptions.DEFAULTS;
        }
        STEP.object(options, "step.options");
        StepOptions defaults = StepOptions.DEFAULTS;
        return new StepOptions(
                (int) STEP.integer(options.get("timeoutMs"), "step.options.timeoutMs",
                        defaults.timeoutMs(), 1, StepOptions.MAX_TIMEOUT_MS),
                STEP.bool(options.get("followRedirects"), "step.options.followRedirects", defaults.followRedirects()),
                (int) STEP.integer(options.get("maxRedirects"), "step.options.maxRedirects",
                        defaults.maxRedirects(), 0, StepOptions.MAX_REDIRECTS),
                successStatuses(options.get("successStatuses")),
                retry(options.get("retry")),
                STEP.choice(options.get("onError"), "step.options.onError", OnError.class, defaults.onError()),
                STEP.integer(options.get("maxResponseBytes"), "step.options.maxResponseBytes",
                        defaults.maxResponseBytes(), 1, StepOptions.MAX_RESPONSE_BYTES),
                STEP.choice(options.get("unresolvedVariables"), "step.options.unresolvedVariables",
                        UnresolvedPolicy.class, defaults.unresolvedVariables()),
                maxUploadBytes(options));
    }

    /** {@code options.maxUploadBytes} (contract §5): files and binary bodies, 1 byte to 50 MiB, default 10 MiB. */
    private static long maxUploadBytes(JsonNode options) {
        return STEP.integer(options.get("maxUploadBytes"), "step.options.maxUploadBytes",
                StepOptions.DEFAULT_MAX_UPLOAD_BYTES, 1, StepOptions.MAX_UPLOAD_BYTES);
    }

    private static RetryOptions retry(JsonNode retry) {
        if (absent(retry)) {
            return RetryOptions.NONE;
        }
        STEP.object(retry, "step.options.retry");
        return new RetryOptions(
                (int) STEP.integer(retry.get("maxAttempts"), "step.options.retry.maxAttempts", 1, 1, RetryOptions.MAX_ATTEMPTS),
                STEP.integer(retry.get("initialDelayMs"), "step.options.retry.initialDelayMs",
                        RetryOptions.DEFAULT_INITIAL_DELAY_MS, 0, StepOptions.MAX_TIMEOUT_MS),
                STEP.integer(retry.get("maxDelayMs"), "step.options.retry.maxDelayMs",
                        RetryOptions.DEFAULT_MAX_DELAY_MS, 0, StepOptions.MAX_TIMEOUT_MS),
                STEP.bool(retry.get("retryNonIdempotent"), "step.options.retry.retryNonIdempotent", false));
    }

    private List<StatusRange> successStatuses(JsonNode statuses) {
        if (absent(statuses)) {
            return StepOptions.DEFAULTS.successStatuses();
        }
        String field = "step.options.successStatuses";
        if (!statuses.isArray() || statuses.isEmpty()) {
            throw STEP.fail(field, "must be a non-empty list such as [\"2xx\", 404]");
        }
        List<StatusRange> ranges = new ArrayList<>();
        for (int i = 0; i < statuses.size(); i++) {
            ranges.add(statusRange(statuses.get(i), field + "[" + i + "]"));
        }
        return ranges;
    }

    private static StatusRange statusRange(JsonNode entry, String field) {
        if (entry.isIntegralNumber()) {
            int status = entry.asInt();
            if (status < 100 || status > 599) {
                throw STEP.fail(field, "must be a status between 100 and 599");
            }
            return new StatusRange(status, status);
        }
        String text = entry.isTextual() ? entry.textValue().trim() : "";
        Matcher statusClass = STATUS_CLASS.matcher(text);
        if (statusClass.matches()) {
            int hundreds = Integer.parseInt(statusClass.group(1)) * 100;
            return new StatusRange(hundreds, hundreds + 99);
        }
        Matcher span = STATUS_SPAN.matcher(text);
        if (span.matches()) {
            int from = Integer.parseInt(span.group(1));
            int to = span.group(2) == null ? from : Integer.parseInt(span.group(2));
            if (from >= 100 && to <= 599 && from <= to) {
                return new StatusRange(from, to);
            }
        }
        throw STEP.fail(field, "must be a status (404), a class (\"2xx\") or a span (\"200-299\")");
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
