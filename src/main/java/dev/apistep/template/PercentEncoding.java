package dev.apistep.template;

import java.nio.charset.StandardCharsets;

/** Percent-encoding for the parts of a URL. */
final class PercentEncoding {

    /** Brackets are left out: outside an IPv6 host they are not legal, and java.net.URI refuses them. */
    private static final String RESERVED_KEPT_IN_LITERALS = ":/?#@!$&'()*+,;=";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {
    }

    /** A variable's text as one component: everything but the unreserved characters is encoded. */
    static String component(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isUnreserved(c)) {
                out.append((char) c);
            } else {
                appendEscaped(out, c);
            }
        }
        return out.toString();
    }

    /**
     * A path segment: as {@link #component}, and a segment of only dots is encoded too, so that a value
     * such as {@code ..} can never climb out of the path the author wrote.
     */
    static String pathSegment(String text) {
        if (!text.isEmpty() && text.chars().allMatch(c -> c == '.')) {
            return "%2E".repeat(text.length());
        }
        return component(text);
    }

    /**
     * Text the author wrote in the URL: reserved characters and valid escapes keep their meaning; what a
     * URL cannot hold (spaces, non-ASCII, quotes, braces, a stray {@code %}) is encoded.
     */
    static String literal(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            if (isUnreserved(c) || (c < 0x80 && RESERVED_KEPT_IN_LITERALS.indexOf(c) >= 0)
                    || (c == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2]))) {
                out.append((char) c);
            } else {
                appendEscaped(out, c);
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static void appendEscaped(StringBuilder out, int c) {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
    }
}
