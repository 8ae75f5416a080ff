package dev.apistep.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A string split into literal text and placeholders. {@code {name}} and {@code {{name}}} both name a
 * variable; a name may reach into objects and arrays ({@code {user.address[0].city}}); {@code {secret:NAME}}
 * names a secret the function resolves itself. Braces around anything else (JSON, GraphQL selections)
 * stay literal text.
 */
public record Template(List<Part> parts) {

    private static final String PATH = "[A-Za-z_][A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]+|\\[\\d+])*";
    /** A secret's name: Secrets Manager ids and SSM parameter paths use these characters. */
    private static final String SECRET = "secret:((?:ssm:)?[A-Za-z0-9_./@+=-]+)";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(?:" + SECRET + "|(" + PATH + "))\\s*}}"
            + "|\\{(?:" + SECRET + "|(" + PATH + "))}");

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
        Matcher matcher = PLACEHOLDER.matcher(text);
        int last = 0;
        while (matcher.find()) {
            if (matcher.start() > last) {
                parts.add(new Literal(text.substring(last, matcher.start())));
            }
            String secret = matcher.group(1) != null ? matcher.group(1) : matcher.group(3);
            String path = matcher.group(2) != null ? matcher.group(2) : matcher.group(4);
            parts.add(new Placeholder(secret != null ? secret : path, matcher.group(), secret != null));
            last = matcher.end();
        }
        if (last < text.length()) {
            parts.add(new Literal(text.substring(last)));
        }
        return new Template(parts);
    }

    public static boolean hasPlaceholder(String text) {
        return PLACEHOLDER.matcher(text).find();
    }
}
