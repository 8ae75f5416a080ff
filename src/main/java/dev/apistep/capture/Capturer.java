package dev.apistep.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.JsonPathException;
import com.jayway.jsonpath.spi.cache.CacheProvider;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.apistep.core.Deadline;
import dev.apistep.core.NameValue;
import dev.apistep.core.Warnings;
import dev.apistep.step.Capture;
import dev.apistep.step.DottedPath;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The capture stage: response in, the variables this step sets out. A path that does not resolve never
 * fails the step: it sets the capture's default when there is one, else leaves the variable as it was,
 * and says so in a warning. Values keep their JSON types.
 *
 * <p>Bounded in time by the step's deadline (plus {@link CaptureBudget#GRACE_MS}): a JSONPath that walks
 * too much of a large body, or whose regular-expression filter backtracks without end, is stopped there
 * and its capture falls back as an unresolved path would (default, else the variable left unchanged) with
 * a warning saying so; the step keeps the branch its response earned. Bounded in size the same way: a value
 * over {@link CaptureBudget#MAX_VALUE_BYTES} written (a path that repeats subtrees, {@code $..*} over a deep
 * body), or an XPath past its own bounds (see {@link XmlBody#xpath}), falls back too.
 */
public final class Capturer {

    private static final String RESPONSE = "response";
    private static final String HEADERS = "headers";
    /** The raw body bytes as base64, for images, PDFs and audio a flow passes on. */
    private static final String BODY_BASE64 = "bodyBase64";
    /** An XPath 1.0 expression over an XML body. */
    private static final String XPATH = "xpath:";

    private final ObjectMapper mapper;
    private final JacksonMappingProvider mappingProvider;
    private final ObjectWriter compact;

    public Capturer(ObjectMapper mapper) {
        this.mapper = mapper;
        this.mappingProvider = new JacksonMappingProvider(mapper);
        this.compact = mapper.writer().without(SerializationFeature.INDENT_OUTPUT);
    }

    public ObjectNode capture(List<Capture> captures, ResponseDocument document, Warnings warnings, Deadline deadline) {
        CaptureBudget budget = CaptureBudget.within(deadline);
        ObjectNode changes = JsonNodeFactory.instance.objectNode();
        boolean emptyBody = document.isEmpty();
        if (document.xmlRefusal() != null) {
            warnings.add(document.xmlRefusal());
        }
        if (emptyBody && captures.stream().anyMatch(capture -> readsBody(capture.path()))) {
            warnings.add("the response body is empty; captures from the body were skipped");
        }
        for (Capture capture : captures) {
            if (emptyBody && readsBody(capture.path())) {
                continue;
            }
            JsonNode value;
            String stopped = null;
            try {
                value = resolve(capture.path(), document, budget);
                if (value != null) {
                    budget.requireWithinSize(compact, value);
                }
            } catch (InvalidJsonPath invalid) {
                warnings.add("capture '" + capture.variable() + "': path " + capture.path() + " is not valid JSONPath");
                continue;
            } catch (XmlBody.InvalidXPath invalid) {
                warnings.add("capture '" + capture.variable() + "': path " + capture.path() + " is not valid XPath 1.0");
                continue;
            } catch (Unbounded refused) {
                value = null;
                stopped = " uses " + refused.getMessage() + ", which this function cannot bound here";
            } catch (CaptureBudget.OverBound over) {
                value = null;
                stopped = " " + over.getMessage();
            } catch (CaptureBudget.Exhausted exhausted) {
                value = null;
                stopped = " was stopped at the step's deadline";
            }
            if (stopped != null) {
                warnings.add("capture '" + capture.variable() + "': path " + capture.path() + stopped
                        + (capture.hasFallback() ? "; the default was used" : "; the variable was left unchanged"));
                if (capture.hasFallback()) {
                    changes.set(capture.variable(), capture.fallback());
                }
            } else if (value != null) {
                changes.set(capture.variable(), value);
            } else if (capture.hasFallback()) {
                changes.set(capture.variable(), capture.fallback());
                warnings.add("capture '" + capture.variable() + "': path " + capture.path() + " did not resolve; the default was used");
            } else {
                warnings.add("capture '" + capture.variable() + "': path " + capture.path() + " did not resolve; the variable was left unchanged");
            }
        }
        return changes;
    }

    private static boolean readsBody(String path) {
        return !path.equals("status") && !path.equals(HEADERS) && !path.startsWith(HEADERS + ".");
    }

    private JsonNode resolve(String path, ResponseDocument document, CaptureBudget budget) {
        if (path.equals("status")) {
            return JsonNodeFactory.instance.numberNode(document.response().status());
        }
        if (path.equals("body")) {
            return JsonNodeFactory.instance.textNode(document.text());
        }
        if (path.equals(BODY_BASE64)) {
            return JsonNodeFactory.instance.textNode(Base64.getEncoder().encodeToString(document.response().body()));
        }
        if (path.startsWith(XPATH)) {
            if (!DomView.AVAILABLE) {
                throw new Unbounded("XPath");
            }
            return document.xml() == null || document.xml().tree() == null ? null
                    : document.xml().xpath(path.substring(XPATH.length()).trim(), budget);
        }
        if (path.equals(HEADERS)) {
            ObjectNode headers = JsonNodeFactory.instance.objectNode();
            for (NameValue header : document.response().headers()) {
                headers.put(header.name().toLowerCase(Locale.ROOT), headerValue(document, header.name()));
            }
            return headers;
        }
        if (path.startsWith(HEADERS + ".")) {
            String name = path.substring(HEADERS.length() + 1);
            String value = headerValue(document, name);
            return value == null ? null : JsonNodeFactory.instance.textNode(value);
        }
        if (!document.isJson()) {
            return null;
        }
        if (path.startsWith("$")) {
            return jsonPath(path, document.json(), budget);
        }
        if (path.equals(RESPONSE)) {
            return document.json();
        }
        String inBody = path.startsWith(RESPONSE + ".") || path.startsWith(RESPONSE + "[")
                ? path.substring(RESPONSE.length())
                : path;
        return DottedPath.walk(document.json(), inBody);
    }

    /** Repeated headers read as one value, comma-joined, as HTTP defines. */
    private static String headerValue(ResponseDocument document, String name) {
        List<String> values = document.response().headers().stream()
                .filter(header -> header.name().equalsIgnoreCase(name))
                .map(NameValue::value)
                .collect(Collectors.toList());
        return values.isEmpty() ? null : String.join(", ", values);
    }

    private JsonNode jsonPath(String path, JsonNode json, CaptureBudget budget) {
        if (!BoundedRegex.ACTIVE && path.contains("=~")) {
            throw new Unbounded("a regular-expression filter");
        }
        // Compiled once per path, in JSONPath's own bounded LRU cache (the one JsonPath.read(String) uses): compiling
        // on every step was the largest single cost of a warm step. Invalid paths are never cached.
        JsonPath compiled = compiled(path);
        try {
            Configuration configuration = Configuration.builder()
                    .jsonProvider(new MeteredProvider(mapper, budget))
                    .mappingProvider(mappingProvider)
                    .build();
            JsonNode found = BoundedRegex.within(budget, () -> JsonPath.using(configuration).parse(json).<JsonNode>read(compiled));
            return compiled.isDefinite() || (found != null && !found.isEmpty()) ? found : null;
        } catch (JsonPathException | ClassCastException | IllegalStateException notFound) {
            // JsonPath 2.9 reads some odd paths ("$..length()$length()") into an IllegalStateException: unresolved too.
            return null;
        }
    }

    private static JsonPath compiled(String path) {
        JsonPath cached = CacheProvider.getCache().get(path);
        if (cached != null) {
            return cached;
        }
        try {
            JsonPath compiled = JsonPath.compile(path);
            CacheProvider.getCache().put(path, compiled);
            return compiled;
        } catch (JsonPathException invalid) {
            throw new InvalidJsonPath();
        }
    }

    /** Jackson trees as JsonPath reads them, one unit of the budget per node it looks at. */
    private static final class MeteredProvider extends JacksonJsonNodeJsonProvider {
        private final CaptureBudget budget;

        MeteredProvider(ObjectMapper mapper, CaptureBudget budget) {
            super(mapper);
            this.budget = budget;
        }

        @Override
        public boolean isArray(Object obj) {
            budget.tick();
            return super.isArray(obj);
        }

        @Override
        public boolean isMap(Object obj) {
            budget.tick();
            return super.isMap(obj);
        }

        @Override
        public Collection<String> getPropertyKeys(Object obj) {
            budget.tick();
            return super.getPropertyKeys(obj);
        }

        @Override
        public Iterable<?> toIterable(Object obj) {
            budget.tick();
            return super.toIterable(obj);
        }
    }

    /**
     * What a path uses when it cannot be bounded in this runtime: regular-expression filters (see {@link
     * BoundedRegex#ACTIVE}), XPath (see {@link DomView#AVAILABLE}).
     */
    private static final class Unbounded extends RuntimeException {
        Unbounded(String what) {
            super(what, null, false, false);
        }
    }

    /** A capture path that is not JSONPath: a mistake in the step, reported as a warning, never a failure. */
    private static final class InvalidJsonPath extends RuntimeException {
        InvalidJsonPath() {
            super(null, null, false, false);
        }
    }
}
