package dev.apistep.result;

import java.util.BitSet;
import java.util.HexFormat;

/**
 * JSON's escapes read back, so that a value is found whichever of JSON's spellings an encoder chose:
 * {@code \/} (PHP), ñ as backslash-u {@code 00f1} or {@code 00F1} (Python's ensure_ascii and others),
 * surrogate pairs for astral characters, any character as backslash-u and four hex digits. Text is read
 * as runs between unescaped double quotes, each decoded on its own: a string literal is one run whether
 * or not the quotes around it pair up as JSON's would (a stray quote in non-JSON text), and no decoded
 * value spans a quote that ends a string. Read leniently, as the text may not be JSON: an invalid escape
 * stands for the character after the backslash, and an unterminated literal runs to the end. One pass
 * over the text, no backtracking.
 */
final class JsonEscapes {

    /** A unicode escape's length: the backslash, the {@code u} and four hex digits. */
    private static final int UNICODE_ESCAPE = 6;

    /** A run of text between unescaped double quotes, as {@code [start, end)}. */
    interface RunConsumer {
        void accept(int start, int end);
    }

    private JsonEscapes() {
    }

    /** Each run of {@code text} that holds an escape; a run without one reads as it is written. */
    static void forEachEscapedRun(String text, RunConsumer consumer) {
        int start = 0;
        boolean escaped = false;
        for (int at = 0; at < text.length(); at++) {
            char c = text.charAt(at);
            if (c == '\\') {
                escaped = true;
                at++;
            } else if (c == '"') {
                if (escaped) {
                    consumer.accept(start, at);
                }
                start = at + 1;
                escaped = false;
            }
        }
        if (escaped) {
            consumer.accept(start, text.length());
        }
    }

    /** The run {@code [start, end)} of {@code text} decoded. */
    static String decode(String text, int start, int end) {
        StringBuilder decoded = new StringBuilder(end - start);
        for (int at = start; at < end; at = next(text, at, end)) {
            decoded.append(decodedAt(text, at, end));
        }
        return decoded.toString();
    }

    /**
     * Marks in {@code spelled} where the run {@code [start, end)} of {@code text} spells each character that
     * {@code decodedMarks} marks in its decoded form (whole escapes, so that a mask never leaves half of one).
     */
    static void markSpelling(String text, int start, int end, BitSet decodedMarks, BitSet spelled) {
        int index = 0;
        for (int at = start; at < end; index++) {
            int after = next(text, at, end);
            if (decodedMarks.get(index)) {
                spelled.set(at, after);
            }
            at = after;
        }
    }

    /** Where the character or escape at {@code at} ends. */
    private static int next(String text, int at, int end) {
        if (text.charAt(at) != '\\' || at + 1 == end) {
            return at + 1;
        }
        return unicode(text, at, end) >= 0 ? at + UNICODE_ESCAPE : at + 2;
    }

    private static char decodedAt(String text, int at, int end) {
        char c = text.charAt(at);
        if (c != '\\' || at + 1 == end) {
            return c;
        }
        int unicode = unicode(text, at, end);
        if (unicode >= 0) {
            return (char) unicode;
        }
        char escaped = text.charAt(at + 1);
        return switch (escaped) {
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> escaped;
        };
    }

    /** The code unit of a unicode escape at {@code at} (hex digits in either case), or -1 if there is none. */
    private static int unicode(String text, int at, int end) {
        if (at + UNICODE_ESCAPE > end || text.charAt(at + 1) != 'u') {
            return -1;
        }
        for (int digit = at + 2; digit < at + UNICODE_ESCAPE; digit++) {
            if (!HexFormat.isHexDigit(text.charAt(digit))) {
                return -1;
            }
        }
        return HexFormat.fromHexDigits(text, at + 2, at + UNICODE_ESCAPE);
    }
}
