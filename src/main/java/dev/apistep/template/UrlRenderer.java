package dev.apistep.template;

import dev.apistep.core.ErrorCode;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepFailure;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the URL template part by part, each with its own encoding: no variable in the scheme or host,
 * path variables as single segments (never a hole), query variables as query values. The fragment is
 * dropped: it is never sent.
 */
public final class UrlRenderer {

    static final String REQUEST_URL = "step.request.url";
    /** Longer URLs are refused by most servers and proxies long before ours would matter. */
    static final int MAX_URL_LENGTH = 16 * 1024;
    private static final Pattern ABSOLUTE = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(?:\\?([^#]*))?(?:#.*)?", Pattern.DOTALL);

    private final TemplateRenderer renderer;
    private final String field;

    /** {@code field}: where the URL template comes from, named in every failure. */
    public UrlRenderer(TemplateRenderer renderer, String field) {
        this.renderer = renderer;
        this.field = field;
    }

    /** The absolute URL to call, with the step's {@code query} entries (names and values rendered) appended. */
    public URI render(String template, List<NameValue> query) {
        Matcher url = ABSOLUTE.matcher(template);
        if (!url.matches()) {
            throw StepFailure.invalidStep(field, field + " must be an absolute http or https URL");
        }
        String scheme = url.group(1);
        String authority = url.group(2);
        if (Template.hasPlaceholder(scheme) || Template.hasPlaceholder(authority)) {
            throw StepFailure.invalidStep(field, field + " must not have a variable in its scheme or host");
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new StepFailure(ErrorCode.BLOCKED_DESTINATION, field, field + " must use http or https");
        }
        if (authority.contains("@")) {
            throw StepFailure.invalidStep(field, field + " must not carry credentials; use step.auth");
        }
        StringBuilder out = new StringBuilder(template.length() + 32);
        out.append(scheme).append("://").append(authority);
        String path = renderer.render(url.group(3), field, PercentEncoding::literal,
                value -> pathSegment(ValueText.text(value), field), true);
        out.append(path.isEmpty() ? "/" : path);
        StringBuilder queryString = new StringBuilder();
        if (url.group(4) != null && !url.group(4).isEmpty()) {
            queryString.append(renderer.render(url.group(4), field, PercentEncoding::literal,
                    value -> PercentEncoding.component(ValueText.text(value)), false));
        }
        for (int i = 0; i < query.size(); i++) {
            String field = "step.request.query[" + i + "]";
            String name = renderer.text(query.get(i).name(), field + ".name");
            if (name.isEmpty()) {
                continue;
            }
            String value = renderer.text(query.get(i).value(), field + ".value");
            appendParameter(queryString, name, value);
        }
        if (queryString.length() > 0) {
            out.append('?').append(queryString);
        }
        return parse(out.toString(), field);
    }

    /** The URL with one more query parameter, already rendered, encoded as a query value. */
    public static URI withParameter(URI uri, String name, String value) {
        StringBuilder query = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        appendParameter(query, name, value);
        String url = uri.toString();
        int queryStart = url.indexOf('?');
        return parse((queryStart < 0 ? url : url.substring(0, queryStart)) + "?" + query, REQUEST_URL);
    }

    private static void appendParameter(StringBuilder queryString, String name, String value) {
        if (queryString.length() > 0) {
            queryString.append('&');
        }
        queryString.append(PercentEncoding.component(name)).append('=').append(PercentEncoding.component(value));
    }

    private static String pathSegment(String value, String field) {
        if (value.isEmpty()) {
            throw new StepFailure(ErrorCode.UNRESOLVED_VARIABLE, field,
                    "a variable in the path of " + field + " is empty; the path would have a hole");
        }
        return PercentEncoding.pathSegment(value);
    }

    static URI parse(String url, String field) {
        if (url.length() > MAX_URL_LENGTH) {
            throw StepFailure.invalidStep(field, field + " is longer than " + MAX_URL_LENGTH + " characters once rendered");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw StepFailure.invalidStep(field, field + " is not a valid URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw StepFailure.invalidStep(field, field + " has no valid host name");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw StepFailure.invalidStep(field, field + " has a port outside 1..65535");
        }
        return uri;
    }
}
