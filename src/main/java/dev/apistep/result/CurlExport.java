package dev.apistep.result;

import dev.apistep.core.NameValue;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The request as sent, as one cURL command line for a POSIX shell (contract §7). Every value is masked first
 * and then written as one single-quoted word (a quote inside written {@code '\''}): the shell expands nothing,
 * and a mask never lands inside the quoting.
 *
 * <p>Nothing a step holds reaches curl where curl reads a file or an option: text goes to {@code --data-raw}
 * and {@code --form-string}, which take it literally; a {@code -H} word starts with the header's name, an HTTP
 * token (checked before any trace), never {@code @}; the URL word starts with its scheme. Bytes the function
 * had in memory are named as placeholder files the builder puts beside the command ({@code --data-binary
 * @body.bin}, {@code -F 'photo=@file1.bin;filename="cat.jpg";type=image/jpeg'}): the file part's own name goes
 * in a quoted {@code filename=} and its media type as type/subtype only, since after the subtype curl reads
 * {@code headers=@file} and {@code filename=} as its own. What the function adds on the wire by itself
 * (Accept-Encoding, the multipart boundary) is left to curl (given {@code Content-Type: multipart/form-data},
 * curl adds its own boundary).
 */
final class CurlExport {

    /** A media type as curl's {@code type=} reads it whole: tokens of at most 127 characters (curl's buffers). */
    private static final Pattern CURL_MEDIA_TYPE = Pattern.compile(
            "[!#$%&'*+.^_`|~0-9A-Za-z-]{1,127}/[!#$%&'*+.^_`|~0-9A-Za-z-]{1,127}");

    private CurlExport() {
    }

    /** {@code url} and {@code headers}: masked, as the trace shows them; every other value is masked here. */
    static String command(OutboundRequest request, String url, List<NameValue> headers, SecretMasker masker) {
        List<String> words = new ArrayList<>();
        words.add("curl");
        String method = request.method();
        RequestBody body = request.body();
        boolean hasBody = !(body instanceof RequestBody.None);
        if (method.equals("HEAD") && !hasBody) {
            words.add("--head");
        } else if (!(method.equals("GET") && !hasBody) && !(method.equals("POST") && hasBody)) {
            words.add("-X");
            words.add(quote(masker.maskValues(method)));
        }
        words.add(quote(url));
        for (NameValue header : headers) {
            String name = masker.maskValues(header.name());
            words.add("-H");
            // curl drops a header whose value is blank; "Name;" sends it empty.
            words.add(quote(header.value().isBlank() ? name + ";" : name + ": " + header.value()));
        }
        if (body instanceof RequestBody.Text text) {
            words.add("--data-raw");
            words.add(quote(masker.maskValues(text.text())));
        } else if (body instanceof RequestBody.Form form) {
            StringBuilder encoded = new StringBuilder();
            for (NameValue field : masker.mask(form.fields())) {
                encoded.append(encoded.length() == 0 ? "" : "&")
                        .append(URLEncoder.encode(masker.maskValues(field.name()), StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(field.value(), StandardCharsets.UTF_8));
            }
            words.add("--data-raw");
            words.add(quote(encoded.toString()));
        } else if (body instanceof RequestBody.Multipart multipart) {
            multipart(multipart, masker, words);
        } else if (body instanceof RequestBody.Binary binary) {
            if (headers.stream().noneMatch(header -> header.name().equalsIgnoreCase("Content-Type"))) {
                // Without one, curl would label the bytes as a form.
                words.add("-H");
                words.add(quote("Content-Type: " + (binary.mediaType() == null ? "application/octet-stream"
                        : masker.maskValues(binary.mediaType()))));
            }
            words.add("--data-binary");
            words.add(quote("@body.bin"));
        }
        return String.join(" ", words);
    }

    /**
     * Text fields as {@code --form-string}, or, with a media type of their own, as {@code -F} with the value in double
     * quotes (curl reads no file and no parameter from a quoted value); file parts as {@code -F} on the placeholders
     * file1.bin, file2.bin, ...
     */
    private static void multipart(RequestBody.Multipart multipart, SecretMasker masker, List<String> words) {
        List<NameValue> fields = masker.mask(multipart.fields());
        int placeholders = 0;
        for (int i = 0; i < fields.size(); i++) {
            String name = formName(masker.maskValues(fields.get(i).name()));
            RequestBody.FilePart file = multipart.files().get(i);
            String fieldType = multipart.fieldTypes().get(i);
            String typed = file != null || fieldType == null ? "" : typeParameter(masker.maskValues(fieldType));
            if (file == null && typed.isEmpty()) {
                words.add("--form-string");
                words.add(quote(name + "=" + fields.get(i).value()));
            } else if (file == null) {
                words.add("-F");
                words.add(quote(name + "=" + formQuoted(fields.get(i).value()) + typed));
            } else {
                words.add("-F");
                words.add(quote(name + "=@file" + ++placeholders + ".bin"
                        + (file.filename() == null ? "" : ";filename=" + formQuoted(masker.maskValues(file.filename())))
                        + typeParameter(file.mediaType() == null ? null : masker.maskValues(file.mediaType()))));
            }
        }
    }

    /**
     * A field name as curl's form parser reads it, up to the first {@code =}: one it cannot send is written
     * {@code %3D}, so that the rest of the name is never read as the part's content ({@code =@file}).
     */
    private static String formName(String name) {
        return name.replace("=", "%3D");
    }

    /** A {@code -F} parameter value in double quotes, backslash-escaped: curl reads no {@code ;} or {@code ,} inside. */
    private static String formQuoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** {@code ;type=type/subtype}, parameters left out; nothing when curl would not read it as a type. */
    private static String typeParameter(String mediaType) {
        if (mediaType == null) {
            return "";
        }
        int parameters = mediaType.indexOf(';');
        String type = (parameters < 0 ? mediaType : mediaType.substring(0, parameters)).trim();
        return CURL_MEDIA_TYPE.matcher(type).matches() ? ";type=" + type : "";
    }

    /**
     * One POSIX shell word, taken literally: single-quoted, a {@code '} written {@code '\''}, and every control
     * character but a line feed written outside the quotes as {@code "$(printf '\NNN')"}. Pasted raw into a terminal,
     * such a character is the terminal's, not the shell's: ^U erases the line typed so far, ^C interrupts it, ESC
     * ends a bracketed paste, and what follows a line feed would then run as a command of its own.
     */
    static String quote(String word) {
        StringBuilder quoted = new StringBuilder(word.length() + 2).append('\'');
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '\'') {
                quoted.append("'\\''");
            } else if ((c < 0x20 && c != '\n') || c == 0x7F) {
                quoted.append("'\"$(printf '\\").append(String.format("%03o", (int) c)).append("')\"'");
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('\'').toString();
    }
}
