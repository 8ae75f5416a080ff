package dev.apistep.read.curl;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepFailure;
import dev.apistep.step.Auth;
import dev.apistep.step.BodyTemplate;
import dev.apistep.step.BodyType;
import dev.apistep.step.CurlImport;
import dev.apistep.step.FileTemplate;
import dev.apistep.step.StepOptions;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a cURL command line (as API docs, Postman and browsers' "copy as cURL" give it) into a step's
 * request. Options that cannot apply in a function (files, proxies, turning TLS verification off) are
 * named in warnings, never obeyed; an unknown option is a warning too. A command that is not cURL, or
 * has no URL, or reads a file, is an invalid step.
 */
public final class CurlImporter {

    static final String FIELD = "step.request.curl";
    /**
     * A form copied from docs or a browser has tens of parts; one of more is not a copied request, and each part
     * is a field of the step the import answers with.
     */
    static final int MAX_FORM_PARTS = 1_000;
    /**
     * A step lists at most 50 warnings (core Warnings), so an import that gives more could not show what it left
     * out; such a command is noise, not a copied request.
     */
    static final int MAX_WARNINGS = 50;
    /** How much of a name, path or detail a warning quotes: a warning stays a line, whatever the command holds. */
    private static final int QUOTED_CHARS = 100;
    /** Options that only change what curl prints: nothing to import, nothing to warn about. */
    private static final Set<String> OUTPUT_ONLY = Set.of("-s", "--silent", "-S", "--show-error", "-v", "--verbose",
            "-i", "--include", "-#", "--progress-bar", "--no-progress-meter", "-f", "--fail", "--fail-with-body",
            "-g", "--globoff", "--compressed", "-N", "--no-buffer", "--http1.1", "--http2", "-q", "--disable");
    /** Options whose argument cannot apply here; the argument is skipped with the option. */
    private static final Set<String> IGNORED_WITH_ARGUMENT = Set.of("-o", "--output", "-x", "--proxy", "-U",
            "--proxy-user", "-E", "--cert", "--key", "--cacert", "--capath", "--cert-type", "--key-type", "--pass",
            "-w", "--write-out", "-c", "--cookie-jar", "-K", "--config", "--retry", "--retry-delay",
            "--retry-max-time", "--resolve", "--connect-to", "--interface", "--limit-rate", "-r", "--range",
            "--connect-timeout", "-y", "--speed-time", "-Y", "--speed-limit", "--proto", "--proto-redir",
            "--noproxy", "--dns-servers", "-z", "--time-cond", "--trace", "--trace-ascii", "--stderr", "-D",
            "--dump-header", "--aws-sigv4", "--tls-max", "--ciphers", "-T", "--upload-file");
    /** Options without argument that cannot apply here. */
    private static final Set<String> IGNORED_FLAGS = Set.of("-k", "--insecure", "-O", "--remote-name", "-J",
            "--remote-header-name", "--proxy-insecure", "-1", "--tlsv1", "--tlsv1.2", "--tlsv1.3", "-4", "--ipv4",
            "-6", "--ipv6", "--location-trusted", "-j", "--junk-session-cookies", "-n", "--netrc", "-Z", "--parallel",
            "--create-dirs", "--digest", "--ntlm", "--negotiate", "--anyauth", "--basic", "--path-as-is", "--raw", "--tr-encoding");
    /** Headers the HTTP client owns; a copied value would be refused or wrong, so it is dropped. */
    private static final Set<String> CLIENT_OWNED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "te", "connection", "keep-alive", "upgrade", "trailer", "expect", "accept-encoding");
    private static final Map<String, String> SHORT_WITH_ARGUMENT_ALIASES = Map.ofEntries(
            Map.entry("-X", "--request"), Map.entry("-H", "--header"), Map.entry("-d", "--data"),
            Map.entry("-F", "--form"), Map.entry("-u", "--user"), Map.entry("-A", "--user-agent"),
            Map.entry("-e", "--referer"), Map.entry("-b", "--cookie"), Map.entry("-m", "--max-time"));
    private static final Set<String> SHORT_WITH_ARGUMENT = union(SHORT_WITH_ARGUMENT_ALIASES.keySet(),
            Set.of("-o", "-x", "-U", "-E", "-w", "-c", "-K", "-r", "-y", "-Y", "-z", "-D", "-T"));

    private CurlImporter() {
    }

    public static CurlImport read(String commandLine) {
        List<String> words;
        try {
            words = ShellWords.split(commandLine.strip());
        } catch (CurlSyntaxException unreadable) {
            throw StepFailure.invalidStep(FIELD, FIELD + " cannot be read: " + unreadable.getMessage());
        }
        if (words.isEmpty() || !isCurl(words.get(0))) {
            throw StepFailure.invalidStep(FIELD, FIELD + " must be a curl command");
        }
        return new Reading(expandShortFlags(words.subList(1, words.size()))).read();
    }

    private static boolean isCurl(String word) {
        String name = word.toLowerCase(Locale.ROOT);
        return name.equals("curl") || name.equals("curl.exe") || name.endsWith("/curl");
    }

    /** {@code -sSL} is {@code -s -S -L}; {@code -XPOST} is {@code -X POST}. */
    private static List<String> expandShortFlags(List<String> words) {
        List<String> expanded = new ArrayList<>();
        boolean afterDoubleDash = false;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (afterDoubleDash || !word.startsWith("-") || word.startsWith("--") || word.length() <= 2) {
                afterDoubleDash |= word.equals("--");
                expanded.add(word);
                if (SHORT_WITH_ARGUMENT.contains(word) || (word.startsWith("--") && takesArgument(word))) {
                    if (i + 1 < words.size()) {
                        expanded.add(words.get(++i));
                    }
                }
                continue;
            }
            for (int j = 1; j < word.length(); j++) {
                String flag = "-" + word.charAt(j);
                expanded.add(flag);
                if (SHORT_WITH_ARGUMENT.contains(flag)) {
                    if (j + 1 < word.length()) {
                        expanded.add(word.substring(j + 1));
                    } else if (i + 1 < words.size()) {
                        expanded.add(words.get(++i));
                    }
                    break;
                }
            }
        }
        return expanded;
    }

    private static boolean takesArgument(String longOption) {
        return Reading.LONG_WITH_ARGUMENT.contains(longOption) || IGNORED_WITH_ARGUMENT.contains(longOption);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** One pass over the options of one command. */
    private static final class Reading {

        static final Set<String> LONG_WITH_ARGUMENT = Set.of("--request", "--header", "--data", "--data-ascii",
                "--data-binary", "--data-raw", "--data-urlencode", "--json", "--form", "--form-string", "--user",
                "--user-agent", "--referer", "--cookie", "--max-redirs", "--max-time", "--url", "--oauth2-bearer");

        private final List<String> words;
        private final List<String> warnings = new ArrayList<>();
        private final List<NameValue> headers = new ArrayList<>();
        private final List<String> data = new ArrayList<>();
        /** The data pieces as curl joins them: {@code &} before each piece but a {@code --json} one, which is appended as is. */
        private final StringBuilder joinedData = new StringBuilder();
        private final List<NameValue> formFields = new ArrayList<>();
        /** The placeholder variables given so far, and for each base name the next number to try after it. */
        private final Set<String> placeholders = new java.util.HashSet<>();
        private final Map<String, Integer> nextPlaceholderNumber = new java.util.HashMap<>();
        /** The {@code -F name=@file} fields, by index in {@link #formFields}: a placeholder variable holds their content. */
        private final Map<Integer, FileTemplate> formFiles = new java.util.HashMap<>();
        /** The types of {@code -F name=text;type=...} fields, by index in {@link #formFields}. */
        private final Map<Integer, String> fieldTypes = new java.util.HashMap<>();
        /** Local files the command reads ({@code -F name=@file}, {@code --data-binary @file}); a run refuses them. */
        private final List<String> localFiles = new ArrayList<>();
        private FileTemplate binaryFile;
        private String method;
        private String url;
        private boolean get;
        private boolean head;
        private boolean json;
        private Auth auth;
        private Boolean followRedirects;
        private Integer maxRedirects;
        private Integer timeoutMs;

        Reading(List<String> words) {
            this.words = words;
        }

        CurlImport read() {
            for (int i = 0; i < words.size(); i++) {
                String word = words.get(i);
                String option = SHORT_WITH_ARGUMENT_ALIASES.getOrDefault(word, word);
                if (!word.startsWith("-") || word.equals("-") || word.equals("--")) {
                    positional(word);
                } else if (LONG_WITH_ARGUMENT.contains(option)) {
                    if (i + 1 >= words.size()) {
                        throw StepFailure.invalidStep(FIELD, FIELD + ": " + word + " needs a value");
                    }
                    withArgument(option, words.get(++i));
                } else if (IGNORED_WITH_ARGUMENT.contains(word)) {
                    warn("curl option " + quoted(word) + " cannot apply in an API step and was ignored");
                    i++;
                } else {
                    flag(word);
                }
            }
            if (url == null) {
                throw StepFailure.invalidStep(FIELD, FIELD + " has no URL");
            }
            BodyTemplate body = body();
            if (get && !data.isEmpty()) {
                url = url + (url.contains("?") ? "&" : "?") + joinedData;
                body = BodyTemplate.NONE;
            }
            return new CurlImport(CurlImport.request(method(body), absolute(url), headers, body), auth,
                    followRedirects, maxRedirects, timeoutMs, warnings, localFiles);
        }

        private void positional(String word) {
            if (word.equals("--")) {
                return;
            }
            if (url == null) {
                url = word;
            } else {
                warn("curl was given more than one URL; only the first is used");
            }
        }

        private void withArgument(String option, String value) {
            switch (option) {
                case "--request" -> method = value.toUpperCase(Locale.ROOT);
                case "--header" -> header(value);
                case "--data-binary" -> {
                    if (value.startsWith("@") && value.length() > 1) {
                        binaryFile(value.substring(1));
                    } else {
                        data(value, false);
                    }
                }
                case "--data", "--data-ascii" -> data(noFile(value, option), false);
                case "--data-raw" -> data(value, false);
                case "--data-urlencode" -> data(urlencoded(value), false);
                case "--json" -> {
                    json = true;
                    data(noFile(value, option), true);
                }
                case "--form" -> formPart(value, false, "-F");
                case "--form-string" -> formPart(value, true, "--form-string");
                case "--user" -> auth = basic(value);
                case "--user-agent" -> headers.add(new NameValue("User-Agent", value));
                case "--referer" -> headers.add(new NameValue("Referer", value.replaceAll(";auto$", "")));
                case "--cookie" -> cookie(value);
                case "--max-redirs" -> maxRedirects = capped(option, number(option, value), StepOptions.MAX_REDIRECTS);
                case "--max-time" -> timeoutMs = capped(option,
                        (int) Math.max(1, Math.round(decimal(option, value) * 1000)), StepOptions.MAX_TIMEOUT_MS);
                case "--url" -> positional(value);
                case "--oauth2-bearer" -> auth = new Auth.Bearer(value);
                default -> throw new IllegalStateException("unhandled curl option " + option);
            }
        }

        /** curl joins data pieces with {@code &}, except that a {@code --json} piece is appended without one. */
        private void data(String piece, boolean fromJson) {
            if (!data.isEmpty() && !fromJson) {
                joinedData.append('&');
            }
            joinedData.append(piece);
            data.add(piece);
        }

        private void flag(String word) {
            switch (word) {
                case "-G", "--get" -> get = true;
                case "-I", "--head" -> head = true;
                case "-L", "--location" -> followRedirects = true;
                default -> {
                    if (IGNORED_FLAGS.contains(word)) {
                        warn("curl option " + quoted(word) + " cannot apply in an API step and was ignored"
                                + (word.equals("-k") || word.equals("--insecure") ? ": TLS verification is never turned off" : ""));
                    } else if (!OUTPUT_ONLY.contains(word)) {
                        warn("curl option " + quoted(word) + " is not known and was ignored");
                    }
                }
            }
        }

        private void header(String line) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                String name = line.endsWith(";") ? line.substring(0, line.length() - 1).trim() : line.trim();
                if (!name.isEmpty()) {
                    headers.add(new NameValue(name, ""));
                }
                return;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (value.isEmpty()) {
                warn("curl header " + quoted(name) + " with no value removes a default header; nothing to import");
                return;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (CLIENT_OWNED_HEADERS.contains(lower)) {
                warn("header " + quoted(name) + " is set by the HTTP client itself and was not imported");
            } else if (lower.equals("authorization") && auth == null && importedAuth(value) != null) {
                auth = importedAuth(value);
            } else {
                headers.add(new NameValue(name, value));
            }
        }

        private static Auth importedAuth(String value) {
            String[] scheme = value.split("\\s+", 2);
            if (scheme.length == 2 && scheme[0].equalsIgnoreCase("Bearer")) {
                return new Auth.Bearer(scheme[1]);
            }
            if (scheme.length == 2 && scheme[0].equalsIgnoreCase("Basic")) {
                try {
                    String decoded = new String(Base64.getDecoder().decode(scheme[1]), StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    return colon < 0 ? null : new Auth.Basic(decoded.substring(0, colon), decoded.substring(colon + 1));
                } catch (IllegalArgumentException notBase64) {
                    return null;
                }
            }
            return null;
        }

        private void cookie(String value) {
            if (!value.contains("=")) {
                warn("curl option -b reads cookies from a file; files cannot be read in an API step, ignored");
                return;
            }
            headers.add(new NameValue("Cookie", value));
        }

        private static Auth basic(String user) {
            int colon = user.indexOf(':');
            return colon < 0 ? new Auth.Basic(user, "") : new Auth.Basic(user.substring(0, colon), user.substring(colon + 1));
        }

        private static String noFile(String value, String option) {
            if (value.startsWith("@")) {
                throw StepFailure.invalidStep(FIELD, FIELD + ": " + option + " @file reads a file, which an API step cannot;"
                        + " paste the content instead");
            }
            return value;
        }

        /** The forms of --data-urlencode: content, =content, name=content; @file and name@file are refused. */
        private static String urlencoded(String value) {
            int equals = value.indexOf('=');
            int at = value.indexOf('@');
            if (at >= 0 && (equals < 0 || at < equals)) {
                throw StepFailure.invalidStep(FIELD, FIELD + ": --data-urlencode with @file reads a file, which an API"
                        + " step cannot; paste the content instead");
            }
            if (equals < 0) {
                return encode(value);
            }
            String name = value.substring(0, equals);
            String content = encode(value.substring(equals + 1));
            return name.isEmpty() ? content : name + "=" + content;
        }

        /**
         * A {@code -F} or {@code --form-string} part: text (with its own type, if given), or, for
         * {@code -F name=@path}, a file part whose content is a placeholder variable ({@code {name_base64}},
         * base64) named in a warning; a text with a {@code filename} is sent as a file of that text, as curl does.
         */
        private void formPart(String argument, boolean literal, String option) {
            if (formFields.size() >= MAX_FORM_PARTS) {
                throw StepFailure.invalidStep(FIELD, FIELD + " has more than " + MAX_FORM_PARTS + " form parts");
            }
            FormArgument part;
            try {
                part = FormArgument.read(argument, literal);
            } catch (CurlSyntaxException unreadable) {
                throw StepFailure.invalidStep(FIELD, FIELD + " cannot be read: " + unreadable.getMessage());
            }
            if (part == null || part.name().isEmpty()) {
                throw StepFailure.invalidStep(FIELD, FIELD + ": a " + option + " form field must be name=value");
            }
            String name = part.name();
            String shownName = quoted(name);
            if (part.source() == FormArgument.Source.FILE_TEXT) {
                throw StepFailure.invalidStep(FIELD, FIELD + ": -F " + shownName
                        + " uploads a file, which an API step cannot; paste the content instead");
            }
            for (String detail : part.ignored()) {
                warn("-F " + shownName + ": " + quoted(detail) + " cannot be imported and was ignored");
            }
            if (part.source() == FormArgument.Source.FILE) {
                String path = part.content();
                String variable = placeholder(name);
                String filename = part.filename() != null ? part.filename() : path.substring(path.lastIndexOf('/') + 1);
                formFiles.put(formFields.size(), new FileTemplate("{" + variable + "}", FileTemplate.Encoding.BASE64, null,
                        filename, part.type()));
                localFiles.add(path);
                warn("-F " + shownName + "=@" + quoted(path) + " reads a local file: imported as a file part whose content is"
                        + " the variable {" + variable + "} (base64); set it before the step runs");
            } else if (part.filename() != null) {
                formFiles.put(formFields.size(), new FileTemplate(part.content(), FileTemplate.Encoding.TEXT, null,
                        part.filename(), part.type()));
            } else if (part.type() != null) {
                fieldTypes.put(formFields.size(), part.type());
            }
            formFields.add(new NameValue(name, part.source() == FormArgument.Source.TEXT && part.filename() == null
                    ? part.content() : ""));
        }

        /** {@code --data-binary @path}: a binary body whose content is the placeholder {@code {body_base64}}. */
        private void binaryFile(String path) {
            binaryFile = new FileTemplate("{body_base64}", FileTemplate.Encoding.BASE64, null, null, null);
            localFiles.add(path);
            warn("--data-binary @" + quoted(path) + " reads a local file: imported as a binary body whose content is the"
                    + " variable {body_base64} (base64); set it before the step runs");
        }

        /**
         * A variable name for a field's file content, unique in this command. Each base name remembers the number
         * it reached, so many fields of one name take linear time, not a search from 2 each.
         */
        private String placeholder(String fieldName) {
            String base = fieldName.replaceAll("[^A-Za-z0-9_]", "_") + "_base64";
            String variable = base;
            int n = nextPlaceholderNumber.getOrDefault(base, 2);
            while (!placeholders.add(variable)) {
                variable = base + "_" + n++;
            }
            nextPlaceholderNumber.put(base, n);
            return variable;
        }

        /** Past {@link #MAX_WARNINGS} the command is refused: work and answer stay bounded, and nothing is left unsaid. */
        private void warn(String warning) {
            if (warnings.size() >= MAX_WARNINGS) {
                throw StepFailure.invalidStep(FIELD, FIELD + " gives more than " + MAX_WARNINGS
                        + " warnings; it is not a command an API step can import");
            }
            warnings.add(warning);
        }

        private static String quoted(String text) {
            return text.length() <= QUOTED_CHARS ? text : text.substring(0, QUOTED_CHARS) + "…";
        }

        private BodyTemplate body() {
            if (!formFields.isEmpty()) {
                if (!data.isEmpty() || binaryFile != null) {
                    warn("curl was given both -F and -d; the form fields were used");
                }
                return new BodyTemplate(BodyType.MULTIPART, null, formFields, null, formFiles, fieldTypes, null);
            }
            if (binaryFile != null) {
                if (!data.isEmpty()) {
                    warn("curl was given data besides --data-binary @file; only the file was used");
                }
                return new BodyTemplate(BodyType.BINARY, null, List.of(), null, Map.of(), Map.of(), binaryFile);
            }
            if (data.isEmpty()) {
                return BodyTemplate.NONE;
            }
            String joined = joinedData.toString();
            String contentType = contentType();
            if (json || (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json"))) {
                if (json && contentType == null) {
                    headers.add(new NameValue("Accept", "application/json"));
                }
                return new BodyTemplate(BodyType.JSON, JsonNodeFactory.instance.textNode(joined), List.of(), null);
            }
            boolean formContentType = contentType == null
                    || contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
            List<NameValue> fields = formContentType ? formPairs(joined) : null;
            if (fields != null) {
                return new BodyTemplate(BodyType.FORM, null, fields, null);
            }
            return new BodyTemplate(BodyType.TEXT, JsonNodeFactory.instance.textNode(joined), List.of(),
                    contentType == null ? "application/x-www-form-urlencoded" : null);
        }

        private String contentType() {
            return headers.stream().filter(header -> header.name().equalsIgnoreCase("Content-Type"))
                    .map(NameValue::value).findFirst().orElse(null);
        }

        /** {@code a=1&b=2} as fields (decoded, since the form writer encodes again); null when it is not pairs. */
        private static List<NameValue> formPairs(String text) {
            if (text.isEmpty() || text.contains("\n") || text.strip().startsWith("{") || text.strip().startsWith("[")) {
                return null;
            }
            List<NameValue> fields = new ArrayList<>();
            for (String pair : text.split("&")) {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    return null;
                }
                try {
                    fields.add(new NameValue(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8)));
                } catch (IllegalArgumentException notEncoded) {
                    return null;
                }
            }
            return fields;
        }

        private String method(BodyTemplate body) {
            if (method != null) {
                return method;
            }
            if (head) {
                return "HEAD";
            }
            return body.type() == BodyType.NONE || get ? "GET" : "POST";
        }

        /** curl assumes http:// for a URL without a scheme. */
        private static String absolute(String url) {
            return url.matches("(?i)[a-z][a-z0-9+.-]*://.*") ? url : "http://" + url;
        }

        /** As curl's --data-urlencode writes it: only {@code A-Z a-z 0-9 - . _ ~} kept, a space as {@code +}. */
        private static String encode(String text) {
            return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
        }

        private int capped(String option, int value, int cap) {
            if (value > cap) {
                warn("curl option " + option + " asks for more than an API step allows; " + cap + " is used");
                return cap;
            }
            return Math.max(0, value);
        }

        private static int number(String option, String value) {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException notNumber) {
                throw StepFailure.invalidStep(FIELD, FIELD + ": " + option + " needs a number");
            }
        }

        private static double decimal(String option, String value) {
            try {
                return Double.parseDouble(value.trim());
            } catch (NumberFormatException notNumber) {
                throw StepFailure.invalidStep(FIELD, FIELD + ": " + option + " needs a number of seconds");
            }
        }
    }
}
