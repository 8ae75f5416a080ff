package dev.apistep.result;

import dev.apistep.capture.PathLister;
import dev.apistep.capture.ResponseDocument;
import dev.apistep.core.Deadline;
import dev.apistep.core.NameValue;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/** Builds the request and response views of test and render modes, masked and size-bounded. */
public final class Traces {

    /** What a builder's test panel shows of a body; the full body still feeds captures. */
    public static final int MAX_TRACE_BODY_CHARS = 64 * 1024;
    /** A URL or a header value longer than this is cut in a trace (a variable can be megabytes long). */
    public static final int MAX_TRACE_VALUE_CHARS = 16 * 1024;

    private Traces() {
    }

    public static RequestTrace request(OutboundRequest request, SecretMasker masker) {
        String url = masker.maskValues(maskedUrl(request.uri(), masker));
        List<NameValue> headers = masker.mask(request.headers());
        return new RequestTrace(request.method(), cutValue(url), cutValues(headers),
                cut(masker.maskValues(body(request.body(), masker))),
                // From the full (uncut) masked values: a cut value would be a different request.
                CurlExport.command(request, url, headers, masker));
    }

    /** The path list stops at the step's {@code deadline} (see {@link PathLister}). */
    public static ResponseTrace response(ResponseDocument document, SecretMasker masker, Deadline deadline) {
        HttpResponse response = document.response();
        List<NameValue> headers = cutValues(masker.mask(response.headers()));
        if (!document.isJson() && response.isBinary()) {
            // Named, not decoded: a bodyBase64 capture keeps the bytes themselves.
            String type = response.mediaType().isEmpty() ? "" : " of " + masker.maskValues(cutValue(response.mediaType()));
            return new ResponseTrace(response.status(), headers, "<" + response.body().length + " bytes" + type + ">",
                    false, List.of());
        }
        String text = document.text();
        return new ResponseTrace(response.status(), headers, cut(masker.maskValues(text)), text.length() > MAX_TRACE_BODY_CHARS,
                document.isJson() ? PathLister.list(document.json(), deadline) : List.of());
    }

    private static String maskedUrl(URI uri, SecretMasker masker) {
        String url = uri.toString();
        int queryStart = url.indexOf('?');
        return queryStart < 0 ? url : url.substring(0, queryStart + 1) + masker.maskQuery(uri.getRawQuery());
    }

    private static String body(RequestBody body, SecretMasker masker) {
        if (body instanceof RequestBody.Text text) {
            return text.text();
        }
        if (body instanceof RequestBody.Binary binary) {
            return binary.source() != null ? "<bytes from " + maskedUrl(binary.source(), masker) + ">"
                    : "<" + binary.bytes().length + " bytes>";
        }
        if (body instanceof RequestBody.Multipart multipart) {
            List<NameValue> fields = masker.mask(multipart.fields());
            StringBuilder shown = new StringBuilder();
            for (int i = 0; i < fields.size(); i++) {
                RequestBody.FilePart file = multipart.files().get(i);
                shown.append(i == 0 ? "" : "&").append(fields.get(i).name()).append('=')
                        .append(file == null ? fields.get(i).value() : file.source() != null
                                ? "<file " + (file.filename() == null ? "" : file.filename() + " ") + "from " + maskedUrl(file.source(), masker) + ">"
                                : "<file " + (file.filename() == null ? "" : file.filename() + ", ")
                                        + file.bytes().length + " bytes of " + file.mediaType() + ">");
            }
            return shown.toString();
        }
        List<NameValue> fields = body instanceof RequestBody.Form form ? form.fields() : null;
        if (fields == null) {
            return null;
        }
        return masker.mask(fields).stream().map(field -> field.name() + "=" + field.value())
                .collect(Collectors.joining("&"));
    }

    private static List<NameValue> cutValues(List<NameValue> entries) {
        return entries.stream().map(entry -> new NameValue(cutValue(entry.name()), cutValue(entry.value()))).toList();
    }

    private static String cutValue(String text) {
        return text == null || text.length() <= MAX_TRACE_VALUE_CHARS ? text : text.substring(0, MAX_TRACE_VALUE_CHARS) + "...";
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_TRACE_BODY_CHARS ? text : text.substring(0, MAX_TRACE_BODY_CHARS);
    }
}
