package dev.apistep.exchange;

import dev.apistep.core.NameValue;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What came back: status, headers in order, the body bytes (decompressed) and the URL that answered. */
public record HttpResponse(int status, List<NameValue> headers, byte[] body, URI uri) {

    private static final Pattern CHARSET = Pattern.compile("charset=\"?([^;\"\\s]+)", Pattern.CASE_INSENSITIVE);

    public HttpResponse {
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        return headers.stream().filter(header -> header.name().equalsIgnoreCase(name))
                .map(NameValue::value).findFirst();
    }

    /** The body as text, in the charset the Content-Type names, else UTF-8. */
    public String text() {
        return new String(body, charset());
    }

    /** Whether the body is in UTF-8 (JSON's own encoding), so it can be parsed from its bytes. */
    public boolean isUtf8() {
        return charset().equals(StandardCharsets.UTF_8);
    }

    /** The media type the Content-Type names, lower case without parameters; empty when there is none. */
    public String mediaType() {
        String type = header("Content-Type").orElse("");
        int parameters = type.indexOf(';');
        return (parameters < 0 ? type : type.substring(0, parameters)).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the body is bytes rather than text (a photo, a PDF, audio): its media type is not a text one and
     * the bytes hold a NUL or do not decode in their charset. Shown as text, such a body is only noise.
     */
    public boolean isBinary() {
        String type = mediaType();
        if (type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.contains("javascript")
                || type.contains("x-www-form-urlencoded")) {
            return false;
        }
        for (byte b : body) {
            if (b == 0) {
                return true;
            }
        }
        try {
            charset().newDecoder().decode(ByteBuffer.wrap(body));
            return false;
        } catch (CharacterCodingException notText) {
            return true;
        }
    }

    private Charset charset() {
        Matcher matcher = CHARSET.matcher(header("Content-Type").orElse(""));
        if (matcher.find()) {
            try {
                return Charset.forName(matcher.group(1));
            } catch (RuntimeException unknown) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }
}
