package dev.apistep.egress;

import dev.apistep.core.NameValue;
import dev.apistep.exchange.RequestBody;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * multipart/form-data written here rather than by the client's form encoder, so that a field name cannot
 * change the part's structure: {@code "}, CR and LF in a name or a filename are percent-encoded as browsers
 * do (RFC 7578 §4.2, WHATWG HTML); a part's media type (a file's, or a text field's own) was checked when
 * rendered (a media type, no line break). The boundary is random and never occurs in a value, a name or a
 * file's bytes held here; a file streamed from a URL is not seen before it is sent, and 128 random bits it
 * cannot know keep it from holding the boundary.
 */
final class MultipartBody {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] LINE_END = "\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A text field's media type when the step gives none. */
    private static final String TEXT_TYPE = "text/plain; charset=UTF-8";

    private final String boundary;
    /** In order: bytes, or (a file part streamed from a URL) {@link StreamedBytes}. */
    private final List<Object> segments;

    private MultipartBody(String boundary, List<Object> segments) {
        this.boundary = boundary;
        this.segments = segments;
    }

    /** {@code streamed}: the file parts streamed from a URL, by field index; the others' bytes are in {@code body}. */
    static MultipartBody of(RequestBody.Multipart body, Map<Integer, StreamedBytes> streamed) {
        String boundary;
        do {
            byte[] random = new byte[16];
            RANDOM.nextBytes(random);
            boundary = "api-step-" + HexFormat.of().formatHex(random);
        } while (contains(body, boundary));
        List<NameValue> fields = body.fields();
        List<Object> segments = new ArrayList<>(fields.size() * 3 + 1);
        for (int i = 0; i < fields.size(); i++) {
            NameValue field = fields.get(i);
            RequestBody.FilePart file = body.files().get(i);
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + dispositionValue(field.name())
                    + (file == null ? "\"\r\nContent-Type: " + body.fieldTypes().getOrDefault(i, TEXT_TYPE) + "\r\n\r\n"
                            : "\"" + (file.filename() == null ? "" : "; filename=\"" + dispositionValue(file.filename()) + "\"")
                                    + "\r\nContent-Type: " + file.mediaType() + "\r\n\r\n");
            segments.add(head.getBytes(StandardCharsets.UTF_8));
            StreamedBytes download = streamed.get(i);
            segments.add(download != null ? download : file == null ? field.value().getBytes(StandardCharsets.UTF_8) : file.bytes());
            segments.add(LINE_END);
        }
        segments.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return new MultipartBody(boundary, segments);
    }

    String mediaType() {
        // Written as text: the client's media type writer would drop the space before the parameter.
        return "multipart/form-data; boundary=" + boundary;
    }

    /** Bytes on the wire; -1 when a streamed file's length is not known. */
    long length() {
        long total = 0;
        for (Object segment : segments) {
            long length = segment instanceof StreamedBytes download ? download.length() : ((byte[]) segment).length;
            if (length < 0) {
                return -1;
            }
            total += length;
        }
        return total;
    }

    /** The whole body in one array of the exact size (no streamed parts): a file's bytes are copied once. */
    byte[] bytes() {
        byte[] out = new byte[Math.toIntExact(length())];
        int at = 0;
        for (Object segment : segments) {
            byte[] piece = (byte[]) segment;
            System.arraycopy(piece, 0, out, at, piece.length);
            at += piece.length;
        }
        return out;
    }

    /** The body as it is sent: streamed parts are read from their downloads as the request is written. */
    StreamedBytes stream() {
        List<InputStream> streams = new ArrayList<>(segments.size());
        for (Object segment : segments) {
            streams.add(segment instanceof StreamedBytes download ? download.bytes() : new ByteArrayInputStream((byte[]) segment));
        }
        return new StreamedBytes(new SequenceInputStream(Collections.enumeration(streams)), length());
    }

    /** A name or filename in a Content-Disposition quoted string, escaped as browsers do. */
    static String dispositionValue(String value) {
        return value.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static boolean contains(RequestBody.Multipart body, String boundary) {
        byte[] marker = boundary.getBytes(StandardCharsets.US_ASCII);
        return body.fields().stream().anyMatch(field -> field.value().contains(boundary) || field.name().contains(boundary))
                || body.fieldTypes().values().stream().anyMatch(type -> type.contains(boundary))
                || body.files().values().stream().anyMatch(file -> indexOf(file.bytes(), marker) >= 0
                        || (file.filename() != null && file.filename().contains(boundary)));
    }

    private static int indexOf(byte[] data, byte[] marker) {
        outer:
        for (int i = 0; i <= data.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
