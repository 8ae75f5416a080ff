package dev.apistep.core;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;

/**
 * JSON without loss: decimals stay exact {@link java.math.BigDecimal}s with their trailing zeros, big
 * integers stay exact, text after a document is an error, and nothing is coerced between strings and numbers. Events, variables, response
 * bodies and results all go through a mapper configured here.
 */
public final class LosslessJson {

    /** A hostile document gets a clean parse error instead of a deep recursion. */
    public static final int MAX_NESTING_DEPTH = 200;
    /** Longer numbers than any API sends; bounds the cost of parsing one. */
    public static final int MAX_NUMBER_LENGTH = 1000;
    /** The largest event: what Lambda takes synchronously; container mode takes the same. */
    public static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;
    /**
     * As long as the event that carries a string, so that the event's size is the one bound on inline (base64)
     * file content, and above the largest response body a step may read (4 MiB).
     */
    public static final int MAX_STRING_LENGTH = MAX_EVENT_BYTES;

    private LosslessJson() {
    }

    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .build());
        return mapper
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    public static ObjectMapper newMapper() {
        return configure(new ObjectMapper());
    }

    /** A value this project built (a result, a tree) as JSON text: failing to write one is a bug, not input. */
    public static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException unwritable) {
            throw new IllegalStateException("a result must always be writable as JSON", unwritable);
        }
    }

    /**
     * Fails unless {@code bytes} hold one JSON value in well-formed UTF-8 (RFC 3629: no overlong forms, no
     * encoded surrogates, nothing past U+10FFFF; a leading byte order mark is allowed), read token by token
     * under the mapper's limits (nesting, number and string length) and, like the mapper, nothing after it;
     * no string holds an unpaired surrogate, escaped ({@code "\uD800"}) or not; no tree is built. Lets a
     * binding answer an unreadable event itself before the framework parses it (and logs what it could not
     * read, or fails the invocation).
     */
    public static void requireJson(ObjectMapper mapper, byte[] bytes) throws IOException {
        int invalid = firstInvalidUtf8(bytes);
        if (invalid >= 0) {
            throw new NotJson("the event is not valid UTF-8 (at byte " + invalid + ")");
        }
        try (JsonParser parser = mapper.getFactory().createParser(bytes)) {
            if (parser.nextToken() == null) {
                throw new NotJson("the event holds no JSON value");
            }
            int depth = 0;
            JsonToken token = parser.currentToken();
            while (true) {
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    depth++;
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    depth--;
                } else if ((token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME)
                        && hasUnpairedSurrogate(parser.getText())) {
                    throw new NotJson("a string in the event holds an unpaired surrogate");
                }
                if (depth == 0 && token != JsonToken.FIELD_NAME) {
                    break;
                }
                token = parser.nextToken();
                if (token == null) {
                    throw new NotJson("the event's JSON value is cut short");
                }
            }
            if (parser.nextToken() != null) {
                throw new NotJson("the event holds more than one JSON value");
            }
        }
    }

    /**
     * What made {@link #requireJson} refuse an event, in words a caller can act on, naming the limit it passed:
     * never the parser's own message, which quotes the event's text.
     */
    public static String fault(IOException unreadable) {
        if (unreadable instanceof NotJson) {
            return unreadable.getMessage();
        }
        if (unreadable instanceof StreamConstraintsException) {
            String limit = unreadable.getMessage() == null ? "" : unreadable.getMessage();
            if (limit.startsWith("String value length")) {
                return "a string in the event is longer than " + MAX_STRING_LENGTH + " characters, the event's own size"
                        + " limit (inline base64 file content carries at most about " + MAX_STRING_LENGTH / 4 * 3
                        + " bytes: give a larger file by url)";
            }
            if (limit.startsWith("Number value length")) {
                return "a number in the event is longer than " + MAX_NUMBER_LENGTH + " characters";
            }
            if (limit.contains("nesting depth")) {
                return "the event nests deeper than " + MAX_NESTING_DEPTH + " levels";
            }
        }
        return "the event is not valid JSON";
    }

    /** A refusal in this class's own words, which quote nothing of the event. */
    private static final class NotJson extends JsonParseException {
        NotJson(String message) {
            super(null, message);
        }
    }

    /** Whether {@code text} holds a high surrogate not followed by a low one, or a low one alone. */
    public static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** The offset of the first byte that is not well-formed UTF-8 (RFC 3629, table 3-7 of Unicode), or -1. */
    static int firstInvalidUtf8(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int min = 0x80;
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                if (b == 0xE0) {
                    min = 0xA0; // overlong
                } else if (b == 0xED) {
                    max = 0x9F; // surrogates
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                if (b == 0xF0) {
                    min = 0x90; // overlong
                } else if (b == 0xF4) {
                    max = 0x8F; // past U+10FFFF
                }
            } else {
                return i; // 0x80..0xC1 (continuation or overlong lead), 0xF5..0xFF
            }
            if (i + length > bytes.length) {
                return i;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < min || second > max) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                int next = bytes[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}
