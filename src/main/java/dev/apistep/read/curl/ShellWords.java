package dev.apistep.read.curl;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a command line into words as a POSIX shell would: single quotes (literal), double quotes
 * (backslash escapes {@code \" \\ \$ \`}), ANSI-C {@code $'...'} strings, backslash escapes outside
 * quotes, and line continuations. Copies from Windows' cmd are unwrapped first: the {@code ^"...^"} form
 * (Chrome's, Edge's and Firefox's "Copy as cURL (cmd)"), the older {@code "...""..."} form with {@code "%"}
 * (earlier browsers), {@code ^} continuations. In those (or a command for {@code curl.exe}) a doubled quote
 * inside double quotes is one literal quote, as the C runtime reads it. No expansion of variables or globs:
 * the text is data.
 */
final class ShellWords {

    /** A cmd.exe continuation: {@code ^} at the end of a line. */
    private static final Pattern CARET_NEWLINE = Pattern.compile("\\^\\r?\\n");

    private ShellWords() {
    }

    static List<String> split(String commandLine) {
        boolean caretQuoted = commandLine.contains("^\"");
        boolean cmd = caretQuoted || CARET_NEWLINE.matcher(commandLine).find() || doubledQuoteForm(commandLine);
        String line = cmd ? unwrapCmd(commandLine, caretQuoted) : commandLine;
        // cmd.exe hands arguments to the program, which reads them as the C runtime does: "" inside quotes is a quote.
        boolean doubledQuotes = cmd || commandLine.regionMatches(true, 0, "curl.exe ", 0, 9);
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '\n' || line.charAt(i + 1) == '\r')) {
                i = skipNewline(line, i + 1);
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = closing(line, i + 1, '\'');
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                i = ansiC(line, i + 2, word);
                inWord = true;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, word, doubledQuotes);
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static int skipNewline(String line, int at) {
        int i = at;
        if (line.charAt(i) == '\r' && i + 1 < line.length() && line.charAt(i + 1) == '\n') {
            i++;
        }
        return i + 1;
    }

    private static int closing(String line, int from, char quote) {
        int end = line.indexOf(quote, from);
        if (end < 0) {
            throw new CurlSyntaxException("a " + quote + " quote is not closed");
        }
        return end;
    }

    private static int doubleQuoted(String line, int from, StringBuilder word, boolean doubledQuotes) {
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"' && doubledQuotes && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                word.append('"');
                i += 2;
                continue;
            }
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                if (line.charAt(i + 1) != '\n') {
                    word.append(line.charAt(i + 1));
                }
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new CurlSyntaxException("a \" quote is not closed");
    }

    /** ANSI-C quoting: backslash escapes as in C (newline, tab, hex, unicode code points, octal). */
    private static int ansiC(String line, int from, StringBuilder word) {
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'') {
                return i + 1;
            }
            if (c != '\\' || i + 1 >= line.length()) {
                word.append(c);
                i++;
                continue;
            }
            char escaped = line.charAt(i + 1);
            i += 2;
            switch (escaped) {
                case 'n' -> word.append('\n');
                case 't' -> word.append('\t');
                case 'r' -> word.append('\r');
                case 'a' -> word.append('\u0007');
                case 'b' -> word.append('\b');
                case 'e', 'E' -> word.append('\u001b');
                case 'f' -> word.append('\f');
                case 'v' -> word.append('\u000b');
                case 'x' -> i = hex(line, i, 2, word);
                case 'u' -> i = hex(line, i, 4, word);
                case 'U' -> i = hex(line, i, 8, word);
                default -> {
                    if (escaped >= '0' && escaped <= '7') {
                        int end = i - 1;
                        while (end < line.length() && end < i + 2 && line.charAt(end) >= '0' && line.charAt(end) <= '7') {
                            end++;
                        }
                        word.append((char) Integer.parseInt(line.substring(i - 1, end), 8));
                        i = end;
                    } else {
                        word.append(escaped);
                    }
                }
            }
        }
        throw new CurlSyntaxException("a $' quote is not closed");
    }

    private static int hex(String line, int from, int maxDigits, StringBuilder word) {
        int end = from;
        while (end < line.length() && end < from + maxDigits && Character.digit(line.charAt(end), 16) >= 0) {
            end++;
        }
        if (end == from) {
            word.append('\\').append(line.charAt(from - 1));
            return from;
        }
        word.appendCodePoint(Integer.parseInt(line.substring(from, end), 16));
        return end;
    }

    /**
     * The older cmd.exe form, where a quote in a value is doubled and {@code %} is written {@code "%"} (out of
     * the quotes, so that cmd expands nothing): read as a POSIX shell would, a double-quoted string that is
     * not empty is closed and directly followed by another quote or by {@code %"}, which no POSIX copy writes.
     */
    private static boolean doubledQuoteForm(String line) {
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                i = end < 0 ? line.length() : end + 1;
            } else if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                int end = i + 1;
                while (end < line.length() && line.charAt(end) != '"') {
                    end += line.charAt(end) == '\\' ? 2 : 1;
                }
                if (end > i + 1 && end + 1 < line.length()
                        && (line.charAt(end + 1) == '"' || line.startsWith("%\"", end + 1))) {
                    return true;
                }
                i = end + 1;
            } else {
                i++;
            }
        }
        return false;
    }

    /**
     * Takes away cmd.exe's escapes: {@code ^x} is x, {@code ^} before a line break joins the lines. Outside the
     * {@code ^"} form a bare {@code "} opens and closes cmd's own quoting, inside which a {@code ^} is text; in
     * that form every quote is escaped ({@code ^"}), so every {@code ^} is an escape.
     */
    private static String unwrapCmd(String line, boolean caretQuoted) {
        StringBuilder out = new StringBuilder(line.length());
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                out.append(c);
            } else if (c == '^' && i + 1 < line.length() && (caretQuoted || !quoted)) {
                char next = line.charAt(i + 1);
                if (next == '\n' || next == '\r') {
                    i = skipNewline(line, i + 1) - 1;
                } else {
                    out.append(next);
                    i++;
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
