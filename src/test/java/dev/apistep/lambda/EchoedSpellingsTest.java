package dev.apistep.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LogCapture;
import dev.apistep.support.ParametersSecretsExtension;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An echoing API that writes its JSON as PHP does ({@code \/}, non-ASCII as lower-case {@code \\u} escapes),
 * as Python's {@code ensure_ascii} does (non-ASCII and astral characters escaped), or oddly (letters as
 * upper-case {@code \\u} escapes), in its body and in a response header: neither test mode's trace, nor the
 * recent runs, nor the step line shows a secret the step sent, in any of those spellings.
 */
@QuarkusTest
@TestProfile(EchoedSpellingsTest.HistoryAndExtension.class)
class EchoedSpellingsTest {

    /** Each has a slash and non-ASCII, which PHP and Python spell their own ways. */
    private static final String TOKEN = "tok/cañary-5e6f";
    private static final String USER = "echo-user";
    /** Also the characters JSON must escape: a quote, a backslash, a newline. */
    private static final String PASSWORD = "pa/ss\"w\\o\nrd-ñ😀-7a8b";
    private static final String API_KEY = "key/ñ-9c0d";
    /** {@code {secret:echo/spelled}}, served by the Parameters and Secrets extension. */
    private static final String REFERENCED = ParametersSecretsExtension.SECRETS.get("echo/spelled");
    private static final String CLIENT_SECRET = "cl/ient\"sé\\cret😀-3e4f";
    private static final List<String> SECRETS = List.of(TOKEN, PASSWORD, USER + ":" + PASSWORD, API_KEY, REFERENCED,
            CLIENT_SECRET, Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));

    private static HttpServer echo;

    /** Recent runs on; {@code {secret:…}} from the loopback extension. */
    public static final class HistoryAndExtension implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("api-step.history.enabled", "true", "api-step.secrets.extension-url", ParametersSecretsExtension.url());
        }
    }

    /** How an encoder writes a JSON string's content. */
    enum Spelling {
        /** PHP's json_encode: {@code \/}, non-ASCII as lower-case escapes (astral ones as surrogate pairs). */
        PHP(c -> c == '/' ? "\\/" : c > 0x7e ? unicode(c, "%04x") : null),
        /** Python's json.dumps with ensure_ascii: non-ASCII as lower-case escapes, the slash as it is. */
        PYTHON(c -> c > 0x7e ? unicode(c, "%04x") : null),
        /** Letters, quotes and backslashes as upper-case escapes, non-ASCII as lower-case ones, {@code \/}. */
        ODD(c -> Character.isLetter(c) && c < 0x80 || c == '"' || c == '\\' ? unicode(c, "%04X")
                : c == '/' ? "\\/" : c > 0x7e ? unicode(c, "%04x") : null);

        private final IntFunction<String> escape;

        Spelling(IntFunction<String> escape) {
            this.escape = escape;
        }

        private static String unicode(int c, String hex) {
            return "\\u" + String.format(hex, c);
        }

        /** {@code text} as a JSON string literal, quotes included. */
        String literal(String text) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : text.toCharArray()) {
                String own = escape.apply(c);
                out.append(own != null ? own : new String(JsonStringEncoder.getInstance().quoteAsString(String.valueOf(c))));
            }
            return out.append('"').toString();
        }

        /** An object of strings and objects, in this spelling. */
        String object(Map<?, ?> fields) {
            StringBuilder out = new StringBuilder("{");
            fields.forEach((name, value) -> out.append(out.length() > 1 ? ", " : "").append(literal((String) name)).append(": ")
                    .append(value instanceof Map<?, ?> inner ? object(inner) : literal((String) value)));
            return out.append('}').toString();
        }
    }

    @BeforeAll
    static void startEcho() throws IOException {
        echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        echo.createContext("/token", exchange -> answer(exchange,
                "{\"access_token\": \"tok-echo-1\", \"token_type\": \"Bearer\", \"expires_in\": 3600}"));
        echo.createContext("/", exchange -> {
            Spelling spelling = Spelling.valueOf(exchange.getRequestURI().getPath().substring(1));
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, utf8(String.join(", ", values))));
            Map<String, String> credentials = new LinkedHashMap<>();
            credentials.put("authorization", headers.getOrDefault("Authorization", ""));
            credentials.put("basic", basic(headers.getOrDefault("Authorization", "")));
            credentials.put("custom", headers.getOrDefault("X-custom", ""));
            credentials.put("args", URLDecoder.decode(Objects.requireNonNullElse(exchange.getRequestURI().getRawQuery(), ""), StandardCharsets.UTF_8));
            String data = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("url", exchange.getRequestURI().toString());
            body.put("headers", headers);
            body.put("credentials", credentials);
            body.put("data", data);
            // The header echoes a JSON fragment: what carries a credential, and the request body.
            credentials.put("data", data);
            exchange.getResponseHeaders().add("X-Echo", spelling.object(credentials));
            answer(exchange, spelling.object(body));
        });
        echo.start();
    }

    /** Header bytes as UTF-8, as the step sends non-ASCII values (the server reads them as Latin-1). */
    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static String basic(String authorization) {
        return authorization.startsWith("Basic ")
                ? new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8) : "";
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterAll
    static void stopEcho() {
        echo.stop(0);
    }

    private static String base() {
        return "http://127.0.0.1:" + echo.getAddress().getPort();
    }

    private static String json(Object value) {
        try {
            return LambdaEvents.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StepEvents step(String auth, String spelling, String query) {
        StepEvents step = StepEvents.step("POST", base() + "/" + spelling + query).mode("test");
        UnaryOperator<StepEvents> body = s -> s.request("body", json(Map.of("type", "json", "content", Map.of("note", "hello"))));
        return switch (auth) {
            case "bearer" -> body.apply(step.stepField("auth", json(Map.of("type", "bearer", "token", TOKEN))));
            case "bearer-reference" -> step.stepField("auth", json(Map.of("type", "bearer", "token", "{secret:echo/spelled}")))
                    .request("body", json(Map.of("type", "json", "content", Map.of("note", "{secret:echo/spelled}"))));
            case "basic" -> body.apply(step.stepField("auth", json(Map.of("type", "basic", "username", USER, "password", PASSWORD))));
            case "api-key-header" -> body.apply(step.stepField("auth",
                    json(Map.of("type", "apiKey", "in", "header", "name", "X-Custom", "value", API_KEY))));
            case "api-key-query" -> body.apply(step.stepField("auth",
                    json(Map.of("type", "apiKey", "in", "query", "name", "k", "value", API_KEY))));
            case "oauth2" -> step.variable("client_secret", CLIENT_SECRET)
                    .stepField("auth", json(Map.of("type", "oauth2", "tokenUrl", base() + "/token",
                            "clientId", "client-" + UUID.randomUUID(), "clientSecret", "{client_secret}")))
                    .request("body", json(Map.of("type", "json", "content", Map.of("note", "{client_secret}"))));
            default -> throw new IllegalArgumentException(auth);
        };
    }

    @ParameterizedTest(name = "{0} echoed {1}")
    @CsvSource(delimiter = '|', textBlock = """
            bearer           | PHP
            bearer           | PYTHON
            bearer           | ODD
            bearer-reference | PHP
            bearer-reference | PYTHON
            bearer-reference | ODD
            basic            | PHP
            basic            | PYTHON
            basic            | ODD
            api-key-header   | PHP
            api-key-header   | PYTHON
            api-key-header   | ODD
            api-key-query    | PHP
            api-key-query    | PYTHON
            api-key-query    | ODD
            oauth2           | PHP
            oauth2           | PYTHON
            oauth2           | ODD
            """)
    void noSecretComesBackInAnySpellingTheEchoChose(String auth, Spelling spelling) {
        StepEvents step = step(auth, spelling.name(), auth.equals("api-key-query") ? "?page=1" : "");
        String stepId = "echo-" + UUID.randomUUID();
        String tenant = "tenant-" + UUID.randomUUID();
        step.json().with("step").put("id", stepId);
        step.json().putObject("context").put("tenantId", tenant);
        JsonNode result;
        List<String> log;
        try (LogCapture capture = LogCapture.start()) {
            result = step.invoke();
            log = capture.lines();
        }
        assertEquals("success", result.get("branch").asText(), result.toString());
        JsonNode response = result.get("response");
        String body = response.get("body").asText();
        assertTrue(body.contains(spelling.literal("url")), "the echo is shown as the API wrote it: " + body);
        String header = echoHeader(response.get("headers"));
        assertTrue(header.contains(spelling.literal("authorization")), "the header is shown as the API wrote it: " + header);
        ((ObjectNode) result).remove("variables");
        assertShowsNoSecret(auth + " in test mode", spelling, result, log);
        assertShowsNoSecret(auth + " decoded", spelling, decoded(body), List.of());
        assertShowsNoSecret(auth + " header decoded", spelling, decoded(header), List.of());

        JsonNode runs = LambdaEvents.invokeRaw(json(Map.of("mode", "history", "step", Map.of("id", stepId),
                "context", Map.of("tenantId", tenant)))).get("runs");
        assertEquals(1, runs.size(), runs.toString());
        JsonNode recorded = runs.get(0).get("response");
        assertFalse(recorded.get("bodyTruncated").asBoolean(), "the whole echo is kept: " + recorded);
        assertTrue(echoHeader(recorded.get("headers")).contains(spelling.literal("authorization")), recorded.toString());
        assertShowsNoSecret(auth + " in recent runs", spelling, runs, List.of());
    }

    private static String echoHeader(JsonNode headers) {
        for (JsonNode header : headers) {
            if (header.get("name").asText().equalsIgnoreCase("X-Echo")) {
                return header.get("value").asText();
            }
        }
        throw new AssertionError("no X-Echo header in " + headers);
    }

    /** The echo read as JSON, and any string in it that is JSON itself (the request body): masking kept it JSON. */
    private static JsonNode decoded(String json) {
        try {
            JsonNode tree = LambdaEvents.JSON.readTree(json);
            if (tree.isObject()) {
                ObjectNode copy = tree.deepCopy();
                tree.fields().forEachRemaining(field -> {
                    if (field.getValue().isTextual() && field.getValue().asText().startsWith("{")) {
                        copy.set(field.getKey(), decoded(field.getValue().asText()));
                    } else if (field.getValue().isObject()) {
                        copy.set(field.getKey(), decoded(field.getValue().toString()));
                    }
                });
                return copy;
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON after masking: " + json, e);
        }
    }

    /** No string in {@code shown} and no log line holds a secret as it is, URL-encoded, or in the echo's spelling, once or twice over. */
    private static void assertShowsNoSecret(String what, Spelling spelling, JsonNode shown, List<String> log) {
        List<String> texts = new ArrayList<>(log);
        collectStrings(shown, texts);
        for (String secret : SECRETS) {
            String literal = spelling.literal(secret);
            String jackson = new String(JsonStringEncoder.getInstance().quoteAsString(secret));
            String twice = spelling.literal(jackson);
            for (String form : List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8),
                    literal.substring(1, literal.length() - 1), twice.substring(1, twice.length() - 1))) {
                for (String text : texts) {
                    assertFalse(text.contains(form), what + " shows " + form + ": " + text);
                }
            }
        }
    }

    private static void collectStrings(JsonNode node, List<String> texts) {
        if (node.isTextual()) {
            texts.add(node.asText());
        }
        node.forEach(child -> collectStrings(child, texts));
        node.fieldNames().forEachRemaining(texts::add);
    }
}
