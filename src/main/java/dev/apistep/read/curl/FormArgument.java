package dev.apistep.read.curl;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code -F name=content[;type=...][;filename=...][;headers=...][;encoder=...]} argument, read as curl
 * reads it (tool_formparse.c, as curlconverter ports it): the content and each detail may be in double quotes
 * (with {@code \"} and {@code \\} escapes), so {@code name="a;b";type=text/plain} is the text {@code a;b} of type
 * text/plain; an unquoted content ends at the first {@code ;}. A content starting with {@code @} names a file to
 * upload, with {@code <} a file whose text is the value. {@code type} keeps its parameters
 * ({@code type=application/json;charset=UTF-8}) up to the next detail, as curl sends them; a quoted type is
 * unquoted. {@code --form-string} takes everything after the {@code =} as the text, details included.
 */
record FormArgument(String name, String content, Source source, String type, String filename, List<String> ignored) {

    enum Source {
        TEXT, FILE, FILE_TEXT
    }

    private static final List<String> DETAILS = List.of("type=", "filename=", "headers=", "encoder=");
    /**
     * curl knows four details ({@link #DETAILS}); a part with more than twice that many is not a copied command,
     * and each ignored one becomes a warning. Empty details ({@code ;;}) count for nothing.
     */
    static final int MAX_DETAILS = 8;

    FormArgument {
        ignored = List.copyOf(ignored);
    }

    /** Null when there is no {@code =}; a {@link CurlSyntaxException} past {@link #MAX_DETAILS} details. */
    static FormArgument read(String argument, boolean literal) {
        int equals = argument.indexOf('=');
        if (equals < 0) {
            return null;
        }
        String name = argument.substring(0, equals);
        String value = argument.substring(equals + 1);
        if (literal) {
            return new FormArgument(name, value, Source.TEXT, null, null, List.of());
        }
        Source source = value.startsWith("@") ? Source.FILE : value.startsWith("<") ? Source.FILE_TEXT : Source.TEXT;
        return new Reader(value).read(name, source);
    }

    /** A position in one argument's value. */
    private static final class Reader {

        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        FormArgument read(String name, Source source) {
            at = source == Source.TEXT ? 0 : 1;
            skipSpaces();
            String content = word();
            String type = null;
            String filename = null;
            List<String> ignored = new ArrayList<>();
            int details = 0;
            while (at < text.length() && text.charAt(at) == ';') {
                at++;
                skipSpaces();
                if (at >= text.length() || text.charAt(at) == ';') {
                    continue;
                }
                if (++details > MAX_DETAILS) {
                    throw new CurlSyntaxException("a -F part has more than " + MAX_DETAILS + " ;details");
                }
                if (startsAt(at, "type=")) {
                    at += 5;
                    type = type();
                } else if (startsAt(at, "filename=")) {
                    at += 9;
                    filename = word();
                } else {
                    int start = at;
                    word();
                    ignored.add(text.substring(start, at).trim());
                }
            }
            return new FormArgument(name, content, source, type, filename, ignored);
        }

        /** A quoted word (escapes undone, anything up to the next {@code ;} after it dropped) or text up to {@code ;}. */
        private String word() {
            if (at < text.length() && text.charAt(at) == '"') {
                StringBuilder word = new StringBuilder();
                for (int i = at + 1; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                        c = text.charAt(++i);
                    } else if (c == '"') {
                        int end = text.indexOf(';', i + 1);
                        at = end < 0 ? text.length() : end;
                        return word.toString();
                    }
                    word.append(c);
                }
                // No closing quote: curl reads the text as it is, the quote included.
            }
            int end = text.indexOf(';', at);
            end = end < 0 ? text.length() : end;
            String word = text.substring(at, end).stripTrailing();
            at = end;
            return word;
        }

        /** A media type: quoted, or up to the {@code ;} that starts the next detail (parameters kept). */
        private String type() {
            if (at < text.length() && text.charAt(at) == '"') {
                return word();
            }
            int end = at;
            while (true) {
                end = text.indexOf(';', end);
                if (end < 0 || startsDetail(end + 1)) {
                    break;
                }
                end++;
            }
            end = end < 0 ? text.length() : end;
            String type = text.substring(at, end).strip();
            at = end;
            return type.endsWith(";") ? type.substring(0, type.length() - 1).strip() : type;
        }

        private boolean startsDetail(int from) {
            int i = from;
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            for (String detail : DETAILS) {
                if (startsAt(i, detail)) {
                    return true;
                }
            }
            return false;
        }

        /** Case-blind, as curl reads a detail's name; compares in place, so a part of many details stays linear. */
        private boolean startsAt(int from, String detail) {
            return text.regionMatches(true, from, detail, 0, detail.length());
        }

        private void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
