package dev.apistep.step;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.NameValue;
import dev.apistep.step.Auth;
import dev.apistep.step.BodyTemplate;
import dev.apistep.step.BodyType;
import dev.apistep.step.RequestTemplate;
import java.util.List;
import java.util.Locale;

/**
 * What a cURL command defines: the request (every string still a template), the auth it carried
 * ({@code -u}, a bearer or basic Authorization header), the options it set ({@code -L}, {@code --max-redirs},
 * {@code -m}; null when not set) and warnings for what could not apply.
 */
public record CurlImport(RequestTemplate request, Auth auth, Boolean followRedirects, Integer maxRedirects,
        Integer timeoutMs, List<String> warnings, List<String> localFiles) {

    public CurlImport {
        warnings = List.copyOf(warnings);
        localFiles = List.copyOf(localFiles);
    }

    /** A command that reads no local file. */
    public CurlImport(RequestTemplate request, Auth auth, Boolean followRedirects, Integer maxRedirects,
            Integer timeoutMs, List<String> warnings) {
        this(request, auth, followRedirects, maxRedirects, timeoutMs, warnings, List.of());
    }

    /** The step as a builder shows it: request fields, auth and the options the command set. */
    public ObjectNode toJson() {
        ObjectNode step = JsonNodeFactory.instance.objectNode();
        ObjectNode json = step.putObject("request");
        json.put("method", request.method()).put("url", request.url());
        ArrayNode headers = json.putArray("headers");
        request.headers().forEach(header -> headers.addObject().put("name", header.name()).put("value", header.value()));
        BodyTemplate body = request.body();
        if (body.type() != BodyType.NONE) {
            ObjectNode bodyJson = json.putObject("body").put("type", body.type().name().toLowerCase(Locale.ROOT));
            if (body.content() != null) {
                bodyJson.set("content", body.content());
            }
            if (!body.fields().isEmpty()) {
                ArrayNode fields = bodyJson.putArray("fields");
                for (int i = 0; i < body.fields().size(); i++) {
                    NameValue field = body.fields().get(i);
                    FileTemplate file = body.files().get(i);
                    if (file == null) {
                        ObjectNode text = fields.addObject().put("name", field.name()).put("value", field.value());
                        if (body.fieldTypes().containsKey(i)) {
                            text.put("contentType", body.fieldTypes().get(i));
                        }
                    } else {
                        fileJson(file, fields.addObject().put("name", field.name()).putObject("file"));
                    }
                }
            }
            if (body.binary() != null) {
                fileJson(body.binary(), bodyJson);
            }
            if (body.contentType() != null) {
                bodyJson.put("contentType", body.contentType());
            }
        }
        if (auth instanceof Auth.Basic basic) {
            step.putObject("auth").put("type", "basic").put("username", basic.username()).put("password", basic.password());
        } else if (auth instanceof Auth.Bearer bearer) {
            step.putObject("auth").put("type", "bearer").put("token", bearer.token());
        }
        if (followRedirects != null || maxRedirects != null || timeoutMs != null) {
            ObjectNode options = step.putObject("options");
            if (followRedirects != null) {
                options.put("followRedirects", followRedirects);
            }
            if (maxRedirects != null) {
                options.put("maxRedirects", maxRedirects);
            }
            if (timeoutMs != null) {
                options.put("timeoutMs", timeoutMs);
            }
        }
        return step;
    }

    private static void fileJson(FileTemplate file, ObjectNode json) {
        if (file.content() != null) {
            json.put("content", file.content()).put("encoding", file.encoding().name().toLowerCase(Locale.ROOT));
        }
        if (file.url() != null) {
            json.put("url", file.url());
        }
        if (file.filename() != null) {
            json.put("filename", file.filename());
        }
        if (file.contentType() != null) {
            json.put("contentType", file.contentType());
        }
    }

    public static RequestTemplate request(String method, String url, List<NameValue> headers, BodyTemplate body) {
        return new RequestTemplate(method, url, headers, List.of(), body);
    }
}
