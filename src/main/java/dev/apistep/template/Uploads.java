package dev.apistep.template;

import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import dev.apistep.step.FileTemplate;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The bytes of file parts and binary bodies, from their rendered text: base64 (standard or URL-safe alphabet,
 * padding optional, line breaks and a {@code data:...;base64,} prefix allowed, as browsers and bot platforms
 * hand them over) or text (sent as UTF-8). All uploads of a step together stay within its {@code maxUploadBytes}.
 */
final class Uploads {

    /** A media type as a part header or Content-Type carries it: type/subtype and parameters, no control characters. */
    private static final Pattern MEDIA_TYPE = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\\s*;[^\\x00-\\x1f\\x7f]*)?");
    private static final Pattern DATA_URL = Pattern.compile("(?s)^data:[^,]{0,200};base64,");
    private static final Pattern WHITESPACE = Pattern.compile("[\\s]+");

    private final long maxBytes;
    private long used;

    Uploads(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** {@code field}: where the content came from, for the error (never the content itself). */
    byte[] bytes(String text, FileTemplate.Encoding encoding, String field) {
        byte[] bytes = encoding == FileTemplate.Encoding.TEXT ? text.getBytes(StandardCharsets.UTF_8) : base64(text, field);
        used += bytes.length;
        if (used > maxBytes) {
            throw StepFailure.invalidStep(field, field + " makes the step's uploads larger than maxUploadBytes (" + maxBytes + ")");
        }
        return bytes;
    }

    private byte[] base64(String text, String field) {
        // Checked before decoding: base64 is 4 characters for 3 bytes, so a text far over the cap is refused unread.
        if (text.length() / 4L * 3 > (maxBytes - used) * 2 + 1024) {
            throw StepFailure.invalidStep(field, field + " makes the step's uploads larger than maxUploadBytes (" + maxBytes + ")");
        }
        String encoded = DATA_URL.matcher(text).replaceFirst("");
        encoded = WHITESPACE.matcher(encoded).replaceAll("");
        try {
            boolean urlSafe = encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0;
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(encoded);
        } catch (IllegalArgumentException invalid) {
            throw new StepFailure(ErrorCode.INVALID_BODY, field, field + " is not valid base64 once rendered");
        }
    }

    /** An absolute http(s) URL with a host, as a file source must be. */
    static URI sourceUri(String rendered, String field) {
        try {
            URI uri = new URI(rendered.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException invalid) {
            // Reported below.
        }
        throw StepFailure.invalidStep(field, field + " must be an absolute http or https URL once rendered");
    }

    /** A downloaded file's name when the step gives none: the URL's last path segment, decoded. */
    static String lastSegment(URI source) {
        String path = source.getPath() == null ? "" : source.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? null : last;
    }

    /** A part's or body's media type, or {@code fallback} when none is given; one with a line break or no subtype is refused. */
    static String mediaType(String rendered, String fallback, String field) {
        if (rendered == null || rendered.isBlank()) {
            return fallback;
        }
        String type = rendered.trim();
        if (!MEDIA_TYPE.matcher(type).matches()) {
            throw StepFailure.invalidStep(field, field + " is not a media type (type/subtype)");
        }
        return type;
    }
}
