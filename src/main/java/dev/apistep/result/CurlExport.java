package dev.apistep.result;

import dev.apistep.core.NameValue;
import dev.apistep.exchange.RequestBody;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The request as sent, as one cURL command line for a POSIX shell (contract §7): every argument in single
 * quotes (a quote inside written {@code '\''}), so nothing is expanded; the caller passes values already
 * masked. What the function adds on the wire by itself (Accept-Encoding, the multipart boundary) is left to
 * curl (given {@code Content-Type: multipart/form-data}, curl adds its own boundary). Bytes the function had in memory (a binary body, a file part) are named as local files curl reads
 * ({@code --data-binary @body.bin}, {@code -F 'file=@photo.jpg;type=image/jpeg'}): the command stays short
 * and readable; a builder puts the file beside it.
 */
final class CurlExport {

    /** What {@code -F name=@file} accepts unquoted as a filename. */
    private static final Pattern PLAIN_FILENAME = Pattern.compile("[A-Za-z0-9._+@-][A-Za-z0-9._+@ -]*");

    private CurlExport() {
    }

    /** {@code fields}: the body's fields already masked (form and multipart), else null. */
    static String command(String method, String url, List<NameValue> headers, RequestBody body, String text,
            List<NameValue> fields) {
        List<String> words = new ArrayList<>();
        words.add("curl");
        boolean hasBody = !(body instanceof RequestBody.None);
        if (method.equals("HEAD") && !hasBody) {
            words.add("--head");
        } else if (!(method.equals("GET") && !hasBody) && !(method.equals("POST") && hasBody)) {
            words.add("-X");
            words.add(quote(method));
        }
        words.add(quote(url));
        for (NameValue header : headers) {
            words.add("-H");
            words.add(quote(header.value().isEmpty() ? header.name() + ";" : header.name() + ": " + header.value()));
        }
        if (body instanceof RequestBody.Text) {
            words.add("--data-raw");
            words.add(quote(text));
        } else if (body instanceof RequestBody.Form) {
            StringBuilder encoded = new StringBuilder();
            for (NameValue field : fields) {
                encoded.append(encoded.length() == 0 ? "" : "&").append(URLEncoder.encode(field.name(), StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(field.value(), StandardCharsets.UTF_8));
            }
            words.add("--data-raw");
            words.add(quote(encoded.toString()));
        } else if (body instanceof RequestBody.Multipart multipart) {
            for (int i = 0; i < fields.size(); i++) {
                RequestBody.FilePart file = multipart.files().get(i);
                if (file == null) {
                    words.add("--form-string");
                    words.add(quote(fields.get(i).name() + "=" + fields.get(i).value()));
                } else {
                    words.add("-F");
                    words.add(quote(fields.get(i).name() + "=@" + filename(file.filename() == null ? "file.bin" : file.filename())
                            + (file.mediaType() == null ? "" : ";type=" + file.mediaType())));
                }
            }
        } else if (body instanceof RequestBody.Binary binary) {
            if (headers.stream().noneMatch(header -> header.name().equalsIgnoreCase("Content-Type"))) {
                // Without one, curl would label the bytes as a form.
                words.add("-H");
                words.add(quote("Content-Type: " + (binary.mediaType() == null ? "application/octet-stream" : binary.mediaType())));
            }
            words.add("--data-binary");
            words.add(quote("@body.bin"));
        }
        return String.join(" ", words);
    }

    /** A filename as {@code -F} reads it: as is when plain, else double-quoted with backslash escapes. */
    private static String filename(String name) {
        return PLAIN_FILENAME.matcher(name).matches() ? name
                : "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** One POSIX shell word, taken literally. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
