package dev.apistep.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.support.HostileServer;
import dev.apistep.support.LogCapture;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Servers that break HTTP on purpose, from raw sockets: bodies far over the cap (compressed or streamed),
 * bodies that must not be read, interim responses and malformed framing. Each costs one step a contract
 * error, never memory, never INTERNAL.
 */
@QuarkusTest
class HostileTransportTest {

    private static final long CAP = 1024 * 1024;
    private static final String CAPPED = "{\"maxResponseBytes\": " + CAP + ", \"retry\": {\"maxAttempts\": 1}}";

    private static HostileServer server;

    @BeforeAll
    static void start() throws IOException {
        server = new HostileServer(HostileServer.raw("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode get(HostileServer.Script script) {
        server.answering(script);
        return StepEvents.step("GET", server.url("/x")).options(CAPPED)
                .capture("[{\"variable\": \"s\", \"path\": \"status\"}, {\"variable\": \"b\", \"path\": \"body\"}]").invoke();
    }

    private static void assertError(JsonNode result, String code, String reason) {
        assertEquals("failure", result.get("branch").asText(), result.toString());
        assertEquals(code, result.get("error").get("code").asText(), result.toString());
        if (reason != null) {
            assertEquals(reason, result.get("error").path("reason").asText(), result.toString());
        }
        String message = result.get("error").get("message").asText();
        assertTrue(message.contains("127.0.0.1"), message);
        assertFalse(message.toLowerCase().contains("exception"), message);
    }

    @Test
    void aGzipBombStopsAtTheCap() {
        byte[] bomb = HostileServer.gzipOfZeros(200L * 1024 * 1024);
        assertError(get(HostileServer.encoded("gzip", bomb)), "RESPONSE_TOO_LARGE", null);
    }

    /** Inflated in Vert.x, this body (2 MB on the wire) would be taken whole into memory: 4 GB. */
    @Test
    void anEndlessGzipStreamStopsAtTheCapAndTheConnectionIsDropped() {
        long[] written = new long[1];
        long decoded = 4L * 1024 * 1024 * 1024;
        assertError(get(HostileServer.gzipStream(decoded, written)), "RESPONSE_TOO_LARGE", null);
        assertTrue(written[0] < decoded / 1100, "the server could send the whole body: " + written[0]);
    }

    @Test
    void aHugeChunkedBodyStopsAtTheCapAndTheConnectionIsDropped() {
        long total = 300L * 1024 * 1024;
        long[] written = new long[1];
        HostileServer.Script endless = HostileServer.endlessChunks(total);
        assertError(get((head, out) -> endless.answer(head, new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] bytes) throws IOException {
                out.write(bytes);
                written[0] += bytes.length;
            }
        })), "RESPONSE_TOO_LARGE", null);
        assertTrue(written[0] < total, "the server could send the whole body: the connection was not dropped");
    }

    @Test
    void compressedBodiesUnderTheCapAreInflated() throws IOException {
        String json = "{\"greeting\": \"" + "hello ".repeat(1000) + "\"}";
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        JsonNode result = get(HostileServer.encoded("gzip", gzip.toByteArray()));
        assertEquals(json, result.get("variables").get("b").asText(), result.toString());
        assertTrue(server.requests().get(server.requests().size() - 1).toLowerCase().contains("accept-encoding: gzip, deflate"));
        for (boolean raw : new boolean[] {false, true}) {
            ByteArrayOutputStream deflated = new ByteArrayOutputStream();
            try (DeflaterOutputStream out = new DeflaterOutputStream(deflated, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
            result = get(HostileServer.encoded("deflate", deflated.toByteArray()));
            assertEquals(json, result.get("variables").get("b").asText(), result.toString());
        }
    }

    @Test
    void aGzipBodyJustUnderTheCapIsKept() {
        byte[] body = HostileServer.gzipOfZeros(CAP);
        JsonNode result = get(HostileServer.encoded("gzip", body));
        assertEquals(200, result.get("variables").get("s").intValue(), result.toString());
        assertError(get(HostileServer.encoded("gzip", HostileServer.gzipOfZeros(CAP + 1))), "RESPONSE_TOO_LARGE", null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            HEAD | 200
            GET  | 204
            GET  | 304
            """)
    void responsesWithoutContentAreNotJudgedByTheirLength(String method, int status) {
        server.answering(HostileServer.raw("HTTP/1.1 " + status + " X\r\nContent-Length: 999999999\r\n\r\n"));
        JsonNode result = StepEvents.step(method, server.url("/x")).options(CAPPED)
                .capture("[{\"variable\": \"s\", \"path\": \"status\"}]").invoke();
        assertEquals(status, result.get("variables").get("s").intValue(), result.toString());
        assertFalse(result.toString().contains("RESPONSE_TOO_LARGE"), result.toString());
    }

    @ParameterizedTest
    @CsvSource({"102", "103", "199"})
    void interimResponsesAreSkipped(int interim) {
        JsonNode result = get(HostileServer.raw("HTTP/1.1 " + interim + " Wait\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 102 Still\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"));
        assertEquals(201, result.get("variables").get("s").intValue(), result.toString());
        assertEquals("ok", result.get("variables").get("b").asText(), result.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bad chunk size         | HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\nabc\\r\\n0\\r\\n\\r\\n | BAD_CHUNKING
            conflicting lengths    | HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nContent-Length: 5\\r\\n\\r\\nabcde    | CONFLICTING_LENGTH
            not HTTP               | SSH-2.0-OpenSSH_9.6\\r\\n\\r\\n                                                    | NOT_HTTP
            unknown version        | HTTP/7.0 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n                                 | NOT_HTTP
            status too high        | HTTP/1.1 1000 Big\\r\\nContent-Length: 0\\r\\n\\r\\n                               | BAD_STATUS_LINE
            status too low         | HTTP/1.1 99 Small\\r\\nContent-Length: 0\\r\\n\\r\\n                               | BAD_STATUS_LINE
            status not a number    | HTTP/1.1 abc OK\\r\\nContent-Length: 0\\r\\n\\r\\n                                 | BAD_STATUS_LINE
            """)
    void malformedResponsesAreConnectFailuresNamingTheFault(String name, String response, String reason) {
        try (LogCapture log = LogCapture.start()) {
            assertError(get(HostileServer.raw(response.replace("\\r\\n", "\r\n"))), "CONNECT_FAILURE", reason);
            assertEquals(List.of(), log.lines().stream().filter(line -> !line.startsWith("{")).toList(),
                    "Vert.x logged the failure");
        }
    }

    @Test
    void invalidCompressedDataIsAConnectFailure() {
        byte[] notGzip = "this is not gzip at all".getBytes(StandardCharsets.UTF_8);
        assertError(get(HostileServer.encoded("gzip", notGzip)), "CONNECT_FAILURE", "BAD_COMPRESSION");
        byte[] truncated = java.util.Arrays.copyOf(HostileServer.gzipOfZeros(10_000), 15);
        assertError(get(HostileServer.encoded("gzip", truncated)), "CONNECT_FAILURE", "BAD_COMPRESSION");
        assertError(get(HostileServer.encoded("deflate", notGzip)), "CONNECT_FAILURE", "BAD_COMPRESSION");
    }

    @Test
    void headersGoOnTheWireInTheStepsOrderWithDuplicates() {
        server.answering(HostileServer.raw("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        StepEvents.step("GET", server.url("/order")).options(CAPPED)
                .header("X-Zeta", "1").header("Accept", "text/plain").header("x-alpha", "2").header("X-Zeta", "3")
                .header("B-Header", "4").invoke();
        String head = server.requests().get(server.requests().size() - 1);
        List<String> lines = head.lines().skip(1).filter(line -> !line.isEmpty()).toList();
        List<String> stepLines = lines.stream().filter(line -> line.matches("(?i)(x-zeta|accept|x-alpha|b-header):.*")).toList();
        assertEquals(List.of("X-Zeta: 1", "Accept: text/plain", "x-alpha: 2", "X-Zeta: 3", "B-Header: 4"), stepLines, head);
        assertTrue(lines.get(0).toLowerCase().startsWith("host:"), head);
        assertFalse(head.toLowerCase().contains("x-api-step"), head);
    }

    @Test
    void multipartNamesCannotChangeThePartsStructure() {
        server.answering(HostileServer.raw("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        StepEvents.step("POST", server.url("/m")).options(CAPPED)
                .variable("evil", "a\"; filename=\"x.sh\r\nContent-Type: application/x-sh\r\n\r\nrm")
                .request("body", "{\"type\": \"multipart\", \"fields\": {\"{evil}\": \"v\", \"ok\": \"line1\\r\\nline2\"}}")
                .invoke();
        String sent = server.requests().get(server.requests().size() - 1);
        String body = sent.substring(sent.indexOf("\r\n\r\n") + 4);
        assertTrue(body.contains("Content-Disposition: form-data; name=\"a%22; filename=%22x.sh%0D%0AContent-Type:"
                + " application/x-sh%0D%0A%0D%0Arm\"\r\n"), body);
        assertFalse(body.contains("filename=\"x.sh"), body);
        assertEquals(2, body.split("Content-Disposition").length - 1, body);
        assertTrue(body.contains("\r\n\r\nline1\r\nline2\r\n--"), body);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            http://2130706433/
            http://0x7f.1/
            http://0x7f000001/
            http://0177.0.0.1/
            http://127.1/
            http://127.0.0.1.:9/
            http://[fe80::1%25eth0]/
            http://[fe80::1%eth0]/
            //0x7f.0.0.1/x
            """)
    void aRedirectToAnyAddressNotationIsABlockedDestination(String location) {
        server.answering(HostileServer.raw("HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n"));
        JsonNode result = StepEvents.step("GET", server.url("/start")).options(CAPPED).invoke();
        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText(), result.toString());
        assertFalse(result.get("error").get("message").asText().contains("127.0.0.1/"), result.toString());
    }

    @ParameterizedTest
    @CsvSource({"http://[fe80::1%25eth0]/x", "http://[fe80::1%25lo]:8080/x"})
    void aZoneIdInTheStepsUrlIsRefusedBeforeAnyLookup(String url) {
        JsonNode result = StepEvents.step("GET", url).invoke();
        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText(), result.toString());
        assertEquals(false, result.get("error").get("retryable").booleanValue(), result.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            tok\\r\\nX-Injected: 1
            tok\\nX: y
            tok\\u0000end
            tok en
            t\\u00f6ken
            tok\\u007f
            """)
    void aTokenThatIsNotAHeaderValueIsAnAuthFailureAndNeverSent(String token) {
        String json = "{\"access_token\": \"" + token + "\", \"expires_in\": 60}";
        server.answering((head, out) -> {
            byte[] body = (head.startsWith("POST /token") ? json : "{}").getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
        });
        int before = server.requests().size();
        JsonNode result = StepEvents.step("GET", server.url("/api")).options(CAPPED)
                .stepField("auth", "{\"type\": \"oauth2\", \"tokenUrl\": \"" + server.url("/token") + "\","
                        + " \"clientId\": \"c-" + java.util.UUID.randomUUID() + "\", \"clientSecret\": \"s\"}").invoke();
        assertEquals("AUTH_FAILURE", result.get("error").get("code").asText(), result.toString());
        List<String> sent = server.requests().subList(before, server.requests().size());
        assertEquals(1, sent.size(), sent.toString());
        assertTrue(sent.get(0).startsWith("POST /token"), sent.toString());
    }
}
