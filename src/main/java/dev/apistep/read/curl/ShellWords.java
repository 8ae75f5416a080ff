package dev.apistep.read.curl;

import java.util.ArrayList;
import java.util.List;

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

    /** How the command was written: for a POSIX shell, or for cmd.exe (with {@code ^"} quotes, or older). */
    private enum Form {
        POSIX, CMD_CARET_QUOTED, CMD
    }

    /** The opening of the export's form of a control character: {@code "$(printf '\NNN')"}. */
    private static final String PRINTF_OPENING = "\"$(printf '\\";
    private static final String PRINTF_CLOSING = "')\"";

    private ShellWords() {
    }

    static List<String> split(String commandLine) {
        Form form = form(commandLine);
        boolean cmd = form != Form.POSIX;
        String line = cmd ? unwrapCmd(commandLine, form == Form.CMD_CARET_QUOTED) : commandLine;
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
            } else if (c == '"' && !cmd && printfEnd(line, i) > 0) {
                int end = printfEnd(line, i);
                word.append((char) Integer.parseInt(line.substring(i + PRINTF_OPENING.length(),
                        end - PRINTF_CLOSING.length()), 8));
                inWord = true;
                i = end;
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
     * The end of {@code "$(printf '\NNN')"} at {@code at} (one to three octal digits, an ASCII character), else -1.
     * The export writes a control character so, outside the single quotes, because a terminal acts on it raw; a
     * shell reads it back as that character. Anything else with {@code $(} is text, as no command is run.
     */
    private static int printfEnd(String line, int at) {
        if (!line.startsWith(PRINTF_OPENING, at)) {
            return -1;
        }
        int digits = at + PRINTF_OPENING.length();
        int end = digits;
        while (end < line.length() && end < digits + 3 && line.charAt(end) >= '0' && line.charAt(end) <= '7') {
            end++;
        }
        if (end == digits || !line.startsWith(PRINTF_CLOSING, end)
                || Integer.parseInt(line.substring(digits, end), 8) > 0x7F) {
            return -1;
        }
        return end + PRINTF_CLOSING.length();
    }

    /**
     * Which shell the command was written for, read in one pass as a POSIX shell would. A cmd.exe mark counts only
     * outside single quotes: {@code ^"} (Chrome's, Edge's and Firefox's "Copy as cURL (cmd)") and {@code ^} at a
     * line end decide for cmd when they come before any single-quoted word (in that form every quote is
     * {@code ^"}, so a POSIX reading of what follows is off by one quote and proves nothing); a single-quoted word
     * (or the export's {@code "$(printf ...)"}) before them decides for POSIX. The older cmd form, where a quote in
     * a value is doubled and {@code %} is written {@code "%"}, is a double-quoted string that is not empty, closed
     * and directly followed by another quote or by {@code %"}, which no POSIX copy writes; a command with a
     * single-quoted word anywhere is not of that form.
     */
    private static Form form(String line) {
        boolean doubled = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end >= 0) {
                    return Form.POSIX;
                }
                i++;
            } else if (c == '^' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                return Form.CMD_CARET_QUOTED;
            } else if (c == '^' && caretNewline(line, i)) {
                return Form.CMD;
            } else if (c == '\\') {
                i += 2;
            } else if (c == '"' && printfEnd(line, i) > 0) {
                return Form.POSIX;
            } else if (c == '"') {
                int end = i + 1;
                while (end < line.length() && line.charAt(end) != '"') {
                    if (line.charAt(end) == '^' && end + 1 < line.length() && line.charAt(end + 1) == '"') {
                        return Form.CMD_CARET_QUOTED;
                    }
                    if (line.charAt(end) == '^' && caretNewline(line, end)) {
                        return Form.CMD;
                    }
                    end += line.charAt(end) == '\\' ? 2 : 1;
                }
                doubled |= end > i + 1 && end + 1 < line.length()
                        && (line.charAt(end + 1) == '"' || line.startsWith("%\"", end + 1));
                i = end + 1;
            } else {
                i++;
            }
        }
        return doubled ? Form.CMD : Form.POSIX;
    }

    private static boolean caretNewline(String line, int caret) {
        int next = caret + 1;
        if (next < line.length() && line.charAt(next) == '\r') {
            next++;
        }
        return next < line.length() && line.charAt(next) == '\n';
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
