package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.support.CurlShell;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 23, classes 1 and 2: the exported {@code request.curl} run as a builder runs it, in {@code bash} and
 * {@code dash}, with values a conversation put in variables and secrets holding shell and curl syntax. With a
 * recording stand-in for curl, the shell hands curl exactly the words meant and runs nothing else (a payload
 * would create the file {@code pwned}); with the real curl against the loopback API, the server receives what
 * the function sent and no local file (the decoys beside the working directory) is read.
 */
@QuarkusTest
class CurlExportHostileTest {

    private static final List<String> SHELLS = List.of("/bin/bash", "/bin/dash");
    /** What a decoy file holds; curl reading one (as a file part, or as part headers) puts it on the wire. */
    private static final String CANARY = "CANARY-decoy-7c1";
    /** Shell and curl syntax, injection payloads (each would create the file pwned), non-ASCII. */
    private static final List<String> PIECES = List.of("'", "\\", "\"", "$", "`", ";", "@", "<", ">", "|", "&",
            "(", ")", "{", "}", "[", "]", "*", "?", "!", "#", "~", "%", "=", ",", ":", "/", " ", "\t", "\n", "\r",
            "-", "+", ".", "^", "\u00e9", "\u20ac", "\ud83d\ude00", "a", "Z", "0",
            "$(touch pwned)", "`touch pwned`", "'; touch pwned; '", "\"; touch pwned; \"", "\\'; touch pwned #",
            "'\\''", "${IFS}touch${IFS}pwned", "\n touch pwned\n", ";headers=@../decoy", "@../decoy", "<../decoy",
            "\";type=text/plain;headers=@../decoy;\"", ",@../secret.txt", "../secret.txt", " -o pwned ",
            "--output pwned", "-K ../decoy");
    /** Media types a step may send (type/subtype, then anything on one line) that carry curl's -F syntax. */
    private static final List<String> MEDIA_TYPES = List.of("image/jpeg", "text/plain; charset=utf-8",
            "text/plain;headers=@../decoy", "text/plain;filename=../secret.txt", "application/x.y+json;type=a/b;headers=<../decoy",
            "text/plain;encoder=base64", "a/b;x=1,@../secret.txt", "text/plain ;headers=\"@../decoy\"", "x'$`|~/y'^#");
    /** A placeholder file's bytes: binary, with quotes and what could look like a boundary. */
    private static final byte[] FILE_BYTES = {0, 1, 2, (byte) 0xff, '\'', '"', '\r', '\n', '-', '-'};
    private static final String B64 = Base64.getEncoder().encodeToString(FILE_BYTES);
    private static final byte[] SECOND_FILE_BYTES = "second file".getBytes(StandardCharsets.UTF_8);
    private static final String PAYLOAD = "it's \"$(touch pwned)\" `touch pwned` '; touch pwned; ' \\'; touch pwned # $HOME";

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeAll
    static void shellsAndCurlAreInstalled() {
        Assumptions.assumeTrue(SHELLS.stream().allMatch(shell -> new File(shell).canExecute()) && new File("/usr/bin/curl").canExecute());
    }

    @BeforeEach
    void answerEverything() {
        api.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    }

    /** One value per piece (between letters, so it stands inside a value), then strings of pieces from a fixed seed. */
    static List<String> hostileValues() {
        List<String> values = new ArrayList<>();
        PIECES.forEach(piece -> values.add("a" + piece + "b"));
        Random random = new Random(23);
        for (int i = 0; i < 12; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = 1 + random.nextInt(5); n > 0; n--) {
                value.append(PIECES.get(random.nextInt(PIECES.size())));
            }
            values.add(value.toString());
        }
        return values;
    }

    static Stream<String> hostileSecrets() {
        return Stream.of("'", "\\", "\"", "'\\''", "\\'", "$", "`", ";", "@", "<", "\n", "p'ss\\w\"rd$`;@<\n",
                "$(touch pwned)", "'; touch pwned; '", "\\'; touch pwned #", "\\\\'");
    }

    /**
     * Masking after quoting turned {@code '\''} into {@code '***''} when a secret held a quote or a backslash,
     * and everything after it ran as shell code. The secret is a Basic password, masked wherever it appears.
     */
    @ParameterizedTest
    @MethodSource("hostileSecrets")
    void issue23_aSecretHoldingShellSyntaxIsMaskedInsideItsWordAndRunsNothing(String secret) {
        JsonNode request = rendered(StepEvents.step("POST", "http://127.0.0.1:9/notes/{p}?q={q}&echo={pw}")
                .variable("pw", secret).variable("p", PAYLOAD).variable("q", PAYLOAD).variable("h", PAYLOAD)
                .variable("note", PAYLOAD + "\n" + secret + " " + PAYLOAD)
                .stepField("auth", "{\"type\": \"basic\", \"username\": \"u\", \"password\": \"{pw}\"}")
                .header("X-Note", "{h}")
                .request("body", "{\"type\": \"json\", \"content\": {\"note\": \"{note}\", \"pw\": \"{pw}\"}}"));
        List<String> words = wordsOfTrace(request);
        assertShellsHandCurl(request.get("curl").asText(), words);
        words.stream().filter(word -> !word.startsWith("-")).forEach(word -> assertFalse(word.contains(secret), word));
    }

    /**
     * A control character pasted raw into a terminal is the terminal's (^U erases the line typed so far, ^C interrupts
     * it, ESC ends a bracketed paste), so a value like "x^U id>pwned LF" ran its second line: the export holds no
     * control character but a line feed, and bash and dash still hand curl each value exactly.
     */
    @Test
    void issue23_theExportHoldsNoRawControlCharacterAndCurlStillGetsThem() {
        StringBuilder controls = new StringBuilder("x");
        for (char c = 1; c < 0x20; c++) {
            controls.append(c);
        }
        String value = controls.append('\u007f').append("\u001b[201~\u0015touch pwned\n'$(touch pwned)'").toString();
        JsonNode request = rendered(StepEvents.step("POST", "http://127.0.0.1:9/notes").variable("note", value)
                .request("body", "{\"type\": \"text\", \"content\": \"{note}\"}"));
        String curl = request.get("curl").asText();
        assertTrue(curl.chars().noneMatch(c -> (c < 0x20 && c != '\n') || c == 0x7f), "a raw control character in " + curl);
        assertShellsHandCurl(curl, wordsOfTrace(request));
        assertEquals(value, request.get("body").asText());
    }

    /** Hostile values in the path, the query, a header and a JSON or text body, with a hostile secret among them. */
    @ParameterizedTest
    @MethodSource("hostileValues")
    void hostileValuesAndSecretsReachCurlAsTheWordsMeant(String value) {
        int at = hostileValues().indexOf(value);
        List<String> secrets = hostileSecrets().toList();
        String secret = secrets.get(at % secrets.size());
        boolean json = at % 2 == 0;
        JsonNode request = rendered(StepEvents.step("POST", "http://127.0.0.1:9/p/{v}/x?q={v}&s={pw}")
                .variable("v", value).variable("h", oneLine(value)).variable("pw", secret)
                .variable("body", value + secret + value)
                .stepField("auth", "{\"type\": \"basic\", \"username\": \"u\", \"password\": \"{pw}\"}")
                .header("X-Value", "{h}")
                .request("body", json ? "{\"type\": \"json\", \"content\": {\"v\": \"{body}\", \"n\": [1, \"{v}\"]}}"
                        : "{\"type\": \"text\", \"content\": \"{body}\", \"contentType\": \"text/plain; charset=utf-8\"}"));
        List<String> words = wordsOfTrace(request);
        assertShellsHandCurl(request.get("curl").asText(), words);
        words.stream().filter(word -> !word.startsWith("-")).forEach(word -> assertFalse(word.contains(secret), word));
    }

    /**
     * A file part's filename and media type come from the conversation; curl reads {@code @path},
     * {@code headers=@file} and {@code ;filename=} in an {@code -F} word. The export names the placeholder
     * file1.bin, ..., puts the filename in quotes and keeps the media type's type/subtype only.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
            file          | ../secret.txt              | text/plain;headers=@../decoy | file=@file1.bin;filename="../secret.txt";type=text/plain
            file          | a"b\\c;d,e.txt              | image/jpeg                   | file=@file1.bin;filename="a\\"b\\\\c;d,e.txt";type=image/jpeg
            file          | x";headers=@../decoy;"     | text/plain; charset=utf-8    | file=@file1.bin;filename="x\\";headers=@../decoy;\\"";type=text/plain
            a=@../decoy;x | @../decoy                  | a/b;x=1,@../secret.txt       | a%3D@../decoy;x=@file1.bin;filename="@../decoy";type=a/b
            doc           | it's $(touch pwned).pdf    | application/pdf;encoder=base64 | doc=@file1.bin;filename="it's $(touch pwned).pdf";type=application/pdf
            """)
    void issue23_aFilePartIsWrittenSoCurlReadsNoPathOrParameterFromTheStep(String name, String filename, String type,
            String expected) {
        JsonNode request = rendered(filePartStep("http://127.0.0.1:9/up", name, filename, type));
        List<String> words = new ArrayList<>(List.of(request.get("url").asText()));
        words.addAll(headerWords(request));
        words.addAll(List.of("-F", expected));
        assertShellsHandCurl(request.get("curl").asText(), words);
    }

    /** The same file parts run by curl itself: the server gets the function's parts, and no decoy is read. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
            file          | ../secret.txt              | text/plain;headers=@../decoy
            file          | a"b\\c;d,e.txt              | image/jpeg
            file          | x";headers=@../decoy;"     | text/plain; charset=utf-8
            a=@../decoy;x | @../decoy                  | a/b;x=1,@../secret.txt
            doc           | it's $(touch pwned).pdf    | application/pdf;encoder=base64
            """)
    void issue23_curlUploadsThePlaceholderAndNoLocalFile(String name, String filename, String type) {
        assertCurlSendsWhatTheFunctionSent(filePartStep(DemoApi.base(api) + "/up", name, filename, type),
                List.of(FILE_BYTES));
    }

    /** Plain requests of each kind, run by curl itself. */
    @Test
    void curlSendsWhatTheFunctionSent() {
        String nasty = "it's \"quoted\" $HOME `id` \\ back\nnew line & a=b; ${x} \u00e9\u20ac";
        assertCurlSendsWhatTheFunctionSent(StepEvents.step("POST", DemoApi.base(api) + "/notes?q={q}").variable("q", nasty)
                .variable("note", nasty).header("X-Trace", "c'9")
                .request("body", "{\"type\": \"json\", \"content\": {\"note\": \"{note}\"}}"), List.of());
        assertCurlSendsWhatTheFunctionSent(StepEvents.step("PUT", DemoApi.base(api) + "/form").variable("v", "a&b=c +d%'e")
                .request("body", "{\"type\": \"form\", \"fields\": {\"x y\": \"{v}\"}}"), List.of());
        assertCurlSendsWhatTheFunctionSent(StepEvents.step("POST", DemoApi.base(api) + "/m")
                .request("body", "{\"type\": \"multipart\", \"fields\": [{\"name\": \"a\", \"value\": \"@/etc/passwd\"},"
                        + " {\"name\": \"b\", \"value\": \"<../decoy;type=text/html\"}]}"), List.of());
    }

    /** Every hostile value once, two to a case (so that a case runs curl once for both). */
    static Stream<Arguments> hostileValuePairs() {
        List<String> values = hostileValues();
        return IntStream.range(0, values.size() / 2)
                .mapToObj(pair -> Arguments.of(pair, values.get(2 * pair), values.get(2 * pair + 1)));
    }

    /** Every kind of body with hostile values everywhere a conversation reaches, run by curl itself. */
    @ParameterizedTest
    @MethodSource("hostileValuePairs")
    void curlRunOnTheExportSendsWhatTheFunctionSent(int at, String value, String other) {
        String type = MEDIA_TYPES.get(at % MEDIA_TYPES.size());
        StepEvents step = StepEvents.step("PUT", DemoApi.base(api) + "/p/{v}?q={o}&r=1").variable("v", value)
                .variable("o", other).variable("h", oneLine(value)).variable("oh", oneLine(other)).variable("ct", type)
                .variable("ct2", MEDIA_TYPES.get((at + 4) % MEDIA_TYPES.size()))
                .variable("b64", B64).variable("second_b64", Base64.getEncoder().encodeToString(SECOND_FILE_BYTES))
                .header("X-Value", "{h}").header("X-Other", "{oh}");
        List<byte[]> files = List.of();
        switch (at % 5) {
            case 0 -> step.request("body", "{\"type\": \"json\", \"content\": {\"v\": \"{v}\", \"o\": \"{o}\"}}");
            case 1 -> step.request("body", "{\"type\": \"text\", \"content\": \"{v}{o}\", \"contentType\": \"text/csv\"}");
            case 2 -> step.request("body", "{\"type\": \"form\", \"fields\": [{\"name\": \"{v}\", \"value\": \"{o}\"},"
                    + " {\"name\": \"k\", \"value\": \"{v}\"}]}");
            case 3 -> {
                step.request("body", "{\"type\": \"multipart\", \"fields\": [{\"name\": \"{v}\", \"value\": \"{o}\"},"
                        + " {\"name\": \"typed\", \"value\": \"{v}\", \"contentType\": \"{ct2}\"},"
                        + " {\"name\": \"{o}\", \"file\": {\"content\": \"{b64}\", \"filename\": \"{v}\", \"contentType\": \"{ct}\"}},"
                        + " {\"name\": \"second\", \"file\": {\"content\": \"{second_b64}\", \"filename\": \"{o}\", \"contentType\": \"{ct2}\"}}]}");
                files = List.of(FILE_BYTES, SECOND_FILE_BYTES);
            }
            default -> {
                step.request("body", "{\"type\": \"binary\", \"content\": \"{b64}\", \"contentType\": \"{ct}\"}");
                files = List.of(FILE_BYTES);
            }
        }
        assertCurlSendsWhatTheFunctionSent(step, files);
    }

    private static StepEvents filePartStep(String url, String name, String filename, String type) {
        return StepEvents.step("POST", url).variable("n", name).variable("fn", filename).variable("ct", type)
                .variable("b64", B64)
                .request("body", "{\"type\": \"multipart\", \"fields\": [{\"name\": \"{n}\", \"file\": {\"content\": \"{b64}\","
                        + " \"filename\": \"{fn}\", \"contentType\": \"{ct}\"}}]}");
    }

    private static String oneLine(String value) {
        return value.replace("\n", " ").replace("\r", " ");
    }

    private static JsonNode rendered(StepEvents step) {
        JsonNode result = step.mode("render").invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        return result.get("request");
    }

    /** The words the trace says curl gets for a POST with a text body: the URL, each header, the body. */
    private static List<String> wordsOfTrace(JsonNode request) {
        assertEquals("POST", request.get("method").asText());
        List<String> words = new ArrayList<>(List.of(request.get("url").asText()));
        words.addAll(headerWords(request));
        words.add("--data-raw");
        words.add(request.get("body").asText());
        return words;
    }

    private static List<String> headerWords(JsonNode request) {
        List<String> words = new ArrayList<>();
        for (JsonNode header : request.get("headers")) {
            String value = header.get("value").asText();
            words.add("-H");
            words.add(header.get("name").asText() + (value.isBlank() ? ";" : ": " + value));
        }
        return words;
    }

    /** In bash and in dash, with the recording stand-in: one curl call with exactly {@code expected}, nothing else run. */
    private static void assertShellsHandCurl(String commandLine, List<String> expected) {
        for (String shell : SHELLS) {
            try (CurlShell scratch = new CurlShell()) {
                Set<String> before = scratch.files();
                CurlShell.Run run = scratch.recorded(shell, commandLine);
                assertEquals(before, scratch.files(), shell + " ran more than curl: " + commandLine);
                assertEquals(0, run.exitCode(), shell + ": " + run.errors() + " in " + commandLine);
                assertEquals("", run.errors(), shell + " in " + commandLine);
                assertEquals(List.of(expected), run.curlCalls(), shell + " in " + commandLine);
            }
        }
    }

    /**
     * Runs {@code step} in test mode, then its export with the real curl in bash, beside decoy files and with
     * {@code files} as the placeholders (file1.bin, ... for file parts; body.bin for a binary body): the API gets
     * the same request twice (file parts' media types as type/subtype), no decoy reaches it, no file is created;
     * under the stand-in, bash and dash call curl once and run nothing else.
     */
    private static void assertCurlSendsWhatTheFunctionSent(StepEvents step, List<byte[]> files) {
        api.resetRequests();
        JsonNode result = step.mode("test").invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        String curl = result.get("request").get("curl").asText();
        try (CurlShell scratch = new CurlShell()) {
            scratch.put("../decoy", (CANARY + ": 1\n").getBytes(StandardCharsets.UTF_8));
            scratch.put("../secret.txt", CANARY.getBytes(StandardCharsets.UTF_8));
            boolean binary = curl.contains("--data-binary");
            for (int i = 0; i < files.size(); i++) {
                scratch.put(binary ? "body.bin" : "file" + (i + 1) + ".bin", files.get(i));
            }
            Set<String> before = scratch.files();
            for (String shell : SHELLS) {
                CurlShell.Run run = scratch.recorded(shell, curl);
                assertEquals(before, scratch.files(), shell + " ran more than curl: " + curl);
                assertEquals(0, run.exitCode(), shell + ": " + run.errors() + " in " + curl);
                assertEquals(1, run.curlCalls().size(), shell + " in " + curl);
            }
            CurlShell.Run run = scratch.real("/bin/bash", curl + " --no-progress-meter -o /dev/null");
            assertEquals(0, run.exitCode(), run.errors() + " in " + curl);
            assertEquals("", run.errors(), "curl warned: " + curl);
            assertEquals(before, scratch.files(), "something else ran: " + curl);
        }
        List<LoggedRequest> both = api.findAll(anyRequestedFor(anyUrl()));
        assertEquals(2, both.size(), curl);
        LoggedRequest function = both.get(0);
        LoggedRequest byCurl = both.get(1);
        assertEquals(function.getMethod(), byCurl.getMethod(), curl);
        assertEquals(function.getUrl(), byCurl.getUrl(), curl);
        String type = function.getHeader("Content-Type");
        boolean multipart = type != null && type.startsWith("multipart/");
        for (String name : function.getAllHeaderKeys()) {
            if (!Set.of("host", "content-length", "accept-encoding", "connection").contains(name.toLowerCase(Locale.ROOT))
                    && !(multipart && name.equalsIgnoreCase("Content-Type"))) {
                assertEquals(comparable(name, function.getHeader(name)), comparable(name, byCurl.getHeader(name)),
                        name + " in " + curl);
            }
        }
        String received = new String(byCurl.getBody(), StandardCharsets.ISO_8859_1);
        assertFalse(received.contains(CANARY), "curl read a decoy file: " + curl);
        byCurl.getAllHeaderKeys().forEach(name -> assertFalse(byCurl.getHeader(name).contains(CANARY), name));
        if (multipart) {
            List<String> sent = parts(function, true);
            List<String> sentByCurl = parts(byCurl, false);
            assertEquals(sent.size(), sentByCurl.size(), curl);
            for (int i = 0; i < sent.size(); i++) {
                // A text field named like a secret (say "../secret.txt") is masked in the export, as in the trace.
                String masked = sent.get(i).substring(0, sent.get(i).indexOf('\n') + 1) + "***";
                assertEquals(sentByCurl.get(i).equals(masked) ? masked : sent.get(i), sentByCurl.get(i), curl);
            }
        } else if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
            assertFalse(URLDecoder.decode(received, StandardCharsets.UTF_8).contains(CANARY), curl);
            String[] sent = new String(function.getBody(), StandardCharsets.ISO_8859_1).split("&");
            String[] sentByCurl = received.split("&");
            assertEquals(sent.length, sentByCurl.length, curl);
            for (int i = 0; i < sent.length; i++) {
                // A field named like a secret is masked in the export, as in the trace.
                String masked = sent[i].substring(0, sent[i].indexOf('=') + 1) + "***";
                assertEquals(sentByCurl[i].equals(masked) ? masked : sent[i], sentByCurl[i], curl);
            }
        } else {
            assertArrayEquals(function.getBody(), byCurl.getBody(), curl);
        }
    }

    /**
     * A Content-Type as a media type: the function's HTTP client writes parameters its own way
     * ({@code x="1,2"} for {@code x=1,2}, no space after {@code ;}), curl as the export says.
     */
    private static String comparable(String header, String value) {
        if (!header.equalsIgnoreCase("Content-Type") || value == null) {
            return value;
        }
        List<String> parts = new ArrayList<>();
        for (String part : value.split(";")) {
            String trimmed = part.trim();
            int equals = trimmed.indexOf('=');
            parts.add(equals < 0 ? trimmed.toLowerCase(Locale.ROOT) : trimmed.substring(0, equals).toLowerCase(Locale.ROOT)
                    + "=" + trimmed.substring(equals + 1).replace("\"", ""));
        }
        return parts.get(0) + parts.subList(1, parts.size()).stream().sorted().toList();
    }

    /**
     * A multipart body's parts as text: Content-Disposition as sent, a file part's media type as type/subtype
     * (the rest is not exported), the content. {@code asExported}: a name's {@code =} written {@code %3D}, as the
     * export must (curl's -F cannot send it).
     */
    private static List<String> parts(LoggedRequest request, boolean asExported) {
        String type = request.getHeader("Content-Type");
        String boundary = "--" + type.substring(type.indexOf("boundary=") + "boundary=".length());
        String[] pieces = new String(request.getBody(), StandardCharsets.ISO_8859_1).split(Pattern.quote(boundary), -1);
        List<String> parts = new ArrayList<>();
        for (String piece : List.of(pieces).subList(1, pieces.length - 1)) {
            String part = piece.substring(2, piece.length() - 2);
            int headersEnd = part.indexOf("\r\n\r\n");
            StringBuilder shown = new StringBuilder();
            String disposition = null;
            String mediaType = null;
            for (String line : part.substring(0, headersEnd).split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-disposition:")) {
                    disposition = line.substring(line.indexOf(':') + 1).trim();
                } else if (lower.startsWith("content-type:")) {
                    mediaType = line.substring(line.indexOf(':') + 1).split(";")[0].trim();
                } else {
                    shown.append(line).append('\n');
                }
            }
            if (asExported) {
                int name = disposition.indexOf("name=\"") + 6;
                int nameEnd = disposition.indexOf('"', name);
                disposition = disposition.substring(0, name) + disposition.substring(name, nameEnd).replace("=", "%3D")
                        + disposition.substring(nameEnd);
            }
            shown.append(disposition).append('\n');
            // A text part's own type too (the function's default, text/plain, is curl's to leave out).
            if (disposition.contains("filename=") || (mediaType != null && !mediaType.equalsIgnoreCase("text/plain"))) {
                shown.append(mediaType).append('\n');
            }
            parts.add(shown.append(part.substring(headersEnd + 4)).toString());
        }
        return parts;
    }
}
