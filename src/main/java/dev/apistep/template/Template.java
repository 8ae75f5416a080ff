package dev.apistep.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A string split into literal text and placeholders. {@code {name}} and {@code {{name}}} both name a
 * variable; a name may reach into objects and arrays ({@code {user.address[0].city}}); {@code {secret:NAME}}
 * names a secret the function resolves itself. Braces around anything else (JSON, GraphQL selections)
 * stay literal text.
 */
public record Template(List<Part> parts) {

    /*
     * The grammar, read by hand in one pass (a regular expression with a repeated group recurses once per
     * path segment and overflows the stack on a placeholder with thousands of them):
     *   placeholder := "{{" ws* body ws* "}}" | "{" body "}"          (ws: space, tab, CR, LF, VT, FF)
     *   body        := "secret:" ["ssm:"] [A-Za-z0-9_./@+=-]+  |  path
     *   path        := [A-Za-z_][A-Za-z0-9_-]* ( "." [A-Za-z0-9_-]+ | "[" digit+ "]" )*
     */
    private static final String SECRET_PREFIX = "secret:";
    private static final String SSM_PREFIX = "ssm:";

    public sealed interface Part {
    }

    public record Literal(String text) implements Part {
    }

    /**
     * {@code path} names a variable, or a secret when {@code secret}; {@code raw} is the placeholder as
     * written, kept when a variable is undefined.
     */
    public record Placeholder(String path, String raw, boolean secret) implements Part {
    }

    /** Parsed templates by text: a flow runs the same steps over and over. Bounded in count and text length. */
    private static final Map<String, Template> PARSED = new ConcurrentHashMap<>();
    private static final int MAX_PARSED = 1024;
    private static final int MAX_PARSED_TEXT = 4096;

    public Template {
        parts = List.copyOf(parts);
    }

    /** The variable a placeholder's path starts from: {@code user} for {@code user.address[0].city}. */
    public static String rootOf(String path) {
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '.' || path.charAt(i) == '[') {
                return path.substring(0, i);
            }
        }
        return path;
    }

    public static Template parse(String text) {
        Template cached = PARSED.get(text);
        if (cached != null) {
            return cached;
        }
        Template parsed = split(text);
        if (text.length() <= MAX_PARSED_TEXT) {
            if (PARSED.size() >= MAX_PARSED) {
                PARSED.clear();
            }
            PARSED.put(text, parsed);
        }
        return parsed;
    }

    private static Template split(String text) {
        List<Part> parts = new ArrayList<>();
        int last = 0;
        for (Match match = find(text, 0); match != null; match = find(text, match.end())) {
            if (match.start() > last) {
                parts.add(new Literal(text.substring(last, match.start())));
            }
            parts.add(new Placeholder(match.name(), text.substring(match.start(), match.end()), match.secret()));
            last = match.end();
        }
        if (last < text.length()) {
            parts.add(new Literal(text.substring(last)));
        }
        return new Template(parts);
    }

    public static boolean hasPlaceholder(String text) {
        return find(text, 0) != null;
    }

    /** A placeholder found in a text: where it is, and the variable path or secret name it holds. */
    private record Match(int start, int end, String name, boolean secret) {
    }

    /** The first placeholder at or after {@code from}, or null; a double-brace form wins over a single one. */
    private static Match find(String text, int from) {
        for (int at = text.indexOf('{', from); at >= 0; at = text.indexOf('{', at + 1)) {
            Match match = doubleBraced(text, at);
            if (match == null) {
                match = singleBraced(text, at);
            }
            if (match != null) {
                return match;
            }
        }
        return null;
    }

    private static Match doubleBraced(String text, int at) {
        if (!text.startsWith("{{", at)) {
            return null;
        }
        int bodyStart = skipSpace(text, at + 2);
        Match body = body(text, at, bodyStart);
        if (body == null) {
            return null;
        }
        int close = skipSpace(text, body.end());
        return text.startsWith("}}", close) ? new Match(at, close + 2, body.name(), body.secret()) : null;
    }

    private static Match singleBraced(String text, int at) {
        Match body = body(text, at, at + 1);
        return body != null && body.end() < text.length() && text.charAt(body.end()) == '}'
                ? new Match(at, body.end() + 1, body.name(), body.secret())
                : null;
    }

    /** The body starting at {@code from}: {@code end} is where it stops (before any closing brace). */
    private static Match body(String text, int start, int from) {
        if (text.startsWith(SECRET_PREFIX, from)) {
            int nameStart = from + SECRET_PREFIX.length();
            int rest = text.startsWith(SSM_PREFIX, nameStart) ? nameStart + SSM_PREFIX.length() : nameStart;
            int nameEnd = secretNameEnd(text, rest);
            // "secret" alone is no variable path either: a colon follows it.
            return nameEnd > rest ? new Match(start, nameEnd, text.substring(nameStart, nameEnd), true) : null;
        }
        int end = pathEnd(text, from);
        return end < 0 ? null : new Match(start, end, text.substring(from, end), false);
    }

    private static int secretNameEnd(String text, int from) {
        int at = from;
        while (at < text.length() && isSecretNameChar(text.charAt(at))) {
            at++;
        }
        return at;
    }

    /** Where the path starting at {@code from} ends, or -1 when none starts there or a segment is unfinished. */
    private static int pathEnd(String text, int from) {
        int length = text.length();
        if (from >= length || !(isLetter(text.charAt(from)) || text.charAt(from) == '_')) {
            return -1;
        }
        int at = from + 1;
        while (at < length && isNameChar(text.charAt(at))) {
            at++;
        }
        while (at < length) {
            char c = text.charAt(at);
            if (c == '.') {
                int segment = at + 1;
                while (segment < length && isNameChar(text.charAt(segment))) {
                    segment++;
                }
                if (segment == at + 1) {
                    return -1;
                }
                at = segment;
            } else if (c == '[') {
                int digits = at + 1;
                while (digits < length && isDigit(text.charAt(digits))) {
                    digits++;
                }
                if (digits == at + 1 || digits >= length || text.charAt(digits) != ']') {
                    return -1;
                }
                at = digits + 1;
            } else {
                break;
            }
        }
        return at;
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameChar(char c) {
        return isLetter(c) || isDigit(c) || c == '_' || c == '-';
    }

    private static boolean isSecretNameChar(char c) {
        return isNameChar(c) || c == '.' || c == '/' || c == '@' || c == '+' || c == '=';
    }

    /** What {@code \s} matches: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static int skipSpace(String text, int from) {
        int at = from;
        while (at < text.length() && " \t\n\u000B\f\r".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        return at;
    }
}
