package dev.apistep.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.core.NameValue;
import dev.apistep.core.Warnings;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import dev.apistep.exchange.UsedSecrets;
import dev.apistep.step.BodyTemplate;
import dev.apistep.step.FileTemplate;
import dev.apistep.step.RequestTemplate;
import dev.apistep.step.Step;
import dev.apistep.step.StepEvent;
import dev.apistep.step.TlsMaterial;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The render stage: a step and the conversation's variables in, the request exactly as it will be sent
 * out, but for its auth (the auth stage adds that). Adds what the step leaves implicit: the body's
 * Content-Type and the product's User-Agent unless the step sets one.
 */
public final class RequestRenderer {

    private static final Pattern TYPED_BASIC = Pattern.compile("(?i)basic\\s+(.+)");

    private final ObjectMapper mapper;
    private final String userAgent;
    private final SecretStore secrets;

    public RequestRenderer(ObjectMapper mapper, String userAgent, SecretStore secrets) {
        this.mapper = mapper;
        this.userAgent = userAgent;
        this.secrets = secrets;
    }

    public OutboundRequest render(StepEvent event, Warnings warnings) {
        Step step = event.step();
        RequestTemplate template = step.request();
        TemplateRenderer renderer = templates(event, warnings);
        URI uri = new UrlRenderer(renderer, "step.request.url").render(template.url(), template.query());
        List<NameValue> headers = headers(template.headers(), renderer);
        RequestBody body = body(template.body(), renderer, step.options().maxUploadBytes(), () -> templates(event, warnings));
        addIfAbsent(headers, "Content-Type", contentType(template.body(), body));
        addIfAbsent(headers, "User-Agent", userAgent);
        TlsMaterial tls = tls(step.tls(), renderer);
        // A file URL's secret values are masked wherever the request is shown; their names (host bindings) go only
        // with the download (see egress/UploadSources), not with the step's own call.
        UsedSecrets used = renderer.usedSecrets();
        return new OutboundRequest(template.method(), uri, headers, body, tls,
                used.and(new UsedSecrets(java.util.Set.of(), body.sourceSecrets().values())));
    }

    /**
     * A renderer of the event's templates, with the step's policy for unresolved variables; each one
     * tracks the secrets it resolved, so a part that goes elsewhere (an auth's token endpoint) gets its own.
     */
    public TemplateRenderer templates(StepEvent event, Warnings warnings) {
        return new TemplateRenderer(new Variables(event.variables()), event.step().options().unresolvedVariables(),
                warnings, secrets);
    }

    /** TLS material may come from variables too (a certificate stored per tenant). */
    private static TlsMaterial tls(TlsMaterial tls, TemplateRenderer renderer) {
        if (tls == null) {
            return null;
        }
        return new TlsMaterial(optional(tls.clientCertificate(), "step.tls.clientCertificate", renderer),
                optional(tls.clientKey(), "step.tls.clientKey", renderer),
                optional(tls.clientKeyPassword(), "step.tls.clientKeyPassword", renderer),
                optional(tls.caCertificates(), "step.tls.caCertificates", renderer));
    }

    private static String optional(String template, String field, TemplateRenderer renderer) {
        return template == null ? null : renderer.text(template, field);
    }

    private static List<NameValue> headers(List<NameValue> templates, TemplateRenderer renderer) {
        List<NameValue> headers = new ArrayList<>();
        for (NameValue header : templates) {
            String name = renderer.text(header.name(), "step.request.headers").trim();
            if (!name.isEmpty()) {
                String value = renderer.text(header.value(), "step.request.headers." + name);
                headers.add(new NameValue(name, name.equalsIgnoreCase("Authorization") ? encodedBasic(value) : value));
            }
        }
        return headers;
    }

    /**
     * {@code Basic user:pass} typed by hand is encoded for the author: base64 never contains a colon, so a
     * colon says the credentials are still in clear.
     */
    private static String encodedBasic(String value) {
        Matcher basic = TYPED_BASIC.matcher(value);
        return basic.matches() && basic.group(1).contains(":") ? basicHeader(basic.group(1)) : value;
    }

    /** An Authorization value for Basic credentials ({@code user:password}), encoded as RFC 7617 says. */
    public static String basicHeader(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code fresh}: a renderer of its own for each file URL, so that the secrets a URL carries are known apart. */
    private RequestBody body(BodyTemplate body, TemplateRenderer renderer, long maxUploadBytes,
            java.util.function.Supplier<TemplateRenderer> fresh) {
        return switch (body.type()) {
            case NONE -> RequestBody.NONE;
            case JSON -> new RequestBody.Text(new JsonBodyRenderer(renderer, mapper).render(body.content()),
                    "application/json");
            case TEXT -> new RequestBody.Text(renderer.text(body.content().textValue(), "step.request.body.content"),
                    "text/plain; charset=utf-8");
            case FORM -> new RequestBody.Form(fields(body.fields(), renderer));
            case MULTIPART -> body.files().isEmpty() && body.fieldTypes().isEmpty()
                    ? new RequestBody.Multipart(fields(body.fields(), renderer))
                    : multipart(body, renderer, new Uploads(maxUploadBytes), fresh);
            case BINARY -> binary(body, renderer, new Uploads(maxUploadBytes), fresh);
        };
    }

    /**
     * Fields (with their own media type, if any) and file parts, in the step's order; a part whose name renders
     * empty is dropped, as a field is.
     */
    private static RequestBody.Multipart multipart(BodyTemplate body, TemplateRenderer renderer, Uploads uploads,
            java.util.function.Supplier<TemplateRenderer> fresh) {
        List<NameValue> fields = new ArrayList<>();
        Map<Integer, RequestBody.FilePart> files = new HashMap<>();
        Map<Integer, String> fieldTypes = new HashMap<>();
        for (int i = 0; i < body.fields().size(); i++) {
            String at = "step.request.body.fields[" + i + "]";
            String name = renderer.text(body.fields().get(i).name(), at + ".name");
            if (name.isEmpty()) {
                continue;
            }
            FileTemplate file = body.files().get(i);
            if (file == null) {
                String type = body.fieldTypes().get(i);
                if (type != null) {
                    String rendered = Uploads.mediaType(renderer.text(type, at + ".contentType"), null, at + ".contentType");
                    if (rendered != null) {
                        fieldTypes.put(fields.size(), rendered);
                    }
                }
                fields.add(new NameValue(name, renderer.text(body.fields().get(i).value(), at + ".value")));
                continue;
            }
            String filename = file.filename() == null ? null : renderer.text(file.filename(), at + ".file.filename");
            TemplateRenderer urlRenderer = fresh.get();
            URI source = source(file, urlRenderer, at + ".file");
            String type = Uploads.mediaType(file.contentType() == null ? null : renderer.text(file.contentType(),
                    at + ".file.contentType"), source == null ? "application/octet-stream" : null, at + ".file.contentType");
            files.put(fields.size(), source != null
                    ? new RequestBody.FilePart(new byte[0], filename == null ? Uploads.lastSegment(source) : filename, type, source,
                            urlRenderer.usedSecrets())
                    : new RequestBody.FilePart(content(file, renderer, uploads, at + ".file"), filename, type));
            fields.add(new NameValue(name, ""));
        }
        return new RequestBody.Multipart(fields, files, fieldTypes);
    }

    private static RequestBody.Binary binary(BodyTemplate body, TemplateRenderer renderer, Uploads uploads,
            java.util.function.Supplier<TemplateRenderer> fresh) {
        TemplateRenderer urlRenderer = fresh.get();
        URI source = source(body.binary(), urlRenderer, "step.request.body");
        String type = Uploads.mediaType(body.contentType() == null ? null : renderer.text(body.contentType(),
                "step.request.body.contentType"), source == null ? "application/octet-stream" : null,
                "step.request.body.contentType");
        return source != null ? new RequestBody.Binary(new byte[0], type, source, urlRenderer.usedSecrets())
                : new RequestBody.Binary(content(body.binary(), renderer, uploads, "step.request.body"), type);
    }

    private static byte[] content(FileTemplate file, TemplateRenderer renderer, Uploads uploads, String at) {
        return uploads.bytes(renderer.text(file.content(), at + ".content"), file.encoding(), at + ".content");
    }

    /**
     * The URL a file comes from (null when it has content): usually a whole variable ({@code {attachment_url}}),
     * so it is rendered as text and must then be an absolute http(s) URL; downloaded when the step is sent.
     */
    private static URI source(FileTemplate file, TemplateRenderer renderer, String at) {
        return file.url() == null ? null : Uploads.sourceUri(renderer.text(file.url(), at + ".url"), at + ".url");
    }

    private static List<NameValue> fields(List<NameValue> templates, TemplateRenderer renderer) {
        List<NameValue> fields = new ArrayList<>();
        for (int i = 0; i < templates.size(); i++) {
            String at = "step.request.body.fields[" + i + "]";
            String name = renderer.text(templates.get(i).name(), at + ".name");
            if (!name.isEmpty()) {
                fields.add(new NameValue(name, renderer.text(templates.get(i).value(), at + ".value")));
            }
        }
        return fields;
    }

    private static String contentType(BodyTemplate template, RequestBody body) {
        if (body instanceof RequestBody.Binary binary) {
            return binary.mediaType();
        }
        if (template.contentType() != null && !template.contentType().isBlank()
                && !(body instanceof RequestBody.Multipart)) {
            return template.contentType();
        }
        if (body instanceof RequestBody.Text text) {
            return text.mediaType();
        }
        if (body instanceof RequestBody.Form) {
            return "application/x-www-form-urlencoded";
        }
        if (body instanceof RequestBody.Multipart) {
            return "multipart/form-data";
        }
        return null;
    }

    private static void addIfAbsent(List<NameValue> headers, String name, String value) {
        if (value != null && headers.stream().noneMatch(header -> header.name().equalsIgnoreCase(name))) {
            headers.add(new NameValue(name, value));
        }
    }
}
