package dev.apistep.lambda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.lambda.UploadsTest.Part;
import dev.apistep.support.FileServer;
import dev.apistep.support.HostileServer;
import dev.apistep.support.StepEvents;
import dev.apistep.support.UploadTarget;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Files uploaded from a URL are streamed from their download into the request as it is written: what the target
 * received (bytes, part heads, Content-Length or chunked), and what it never receives when the download fails.
 */
@QuarkusTest
class StreamedUploadsTest {

    /** Several MiB: far more than one network read or client chunk. */
    private static final int SIZE = 6 * 1024 * 1024 + 123;
    private static final String BINARY = "{\"type\": \"binary\", \"url\": \"{u}\"}";

    private FileServer files;
    private UploadTarget target;

    @BeforeEach
    void start() throws Exception {
        files = new FileServer();
        target = new UploadTarget();
    }

    @AfterEach
    void stop() {
        files.close();
        target.close();
    }

    private static String multipart(String fileUrlVariable) {
        return "{\"type\": \"multipart\", \"fields\": [{\"name\": \"subject\", \"value\": \"scan\"},"
                + " {\"name\": \"doc\", \"file\": {\"url\": \"{" + fileUrlVariable + "}\", \"filename\": \"scan.pdf\"}},"
                + " {\"name\": \"note\", \"file\": {\"content\": \"h\u00e9llo\", \"encoding\": \"text\", \"filename\": \"n.txt\"}}]}";
    }

    private UploadTarget.Received onlyUpload() {
        assertEquals(1, target.received().size(), "one request reached the target");
        return target.received().get(0);
    }

    @Test
    void aBinaryBodyFromAUrlGoesOutWithTheDownloadsLengthAndBytes() {
        JsonNode result = StepEvents.step("PUT", target.url("/bucket/scan.pdf")).variable("u", files.url("/file/" + SIZE))
                .request("body", BINARY).invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        UploadTarget.Received upload = onlyUpload();
        assertTrue(upload.complete());
        assertEquals(String.valueOf(SIZE), upload.header("Content-Length"), "a presigned PUT gets its Content-Length");
        assertNull(upload.header("Transfer-Encoding"));
        assertEquals("application/pdf", upload.header("Content-Type"), "the download's type when the step names none");
        assertEquals(UploadTarget.sha256(FileServer.bytes(SIZE)), upload.sha256());
        assertEquals(SIZE, upload.length());
    }

    @Test
    void aChunkedDownloadGoesOutChunked() {
        JsonNode result = StepEvents.step("PUT", target.url("/bucket/scan.pdf")).variable("u", files.url("/chunked/" + SIZE))
                .request("body", "{\"type\": \"binary\", \"url\": \"{u}\", \"contentType\": \"application/x-scan\"}").invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        UploadTarget.Received upload = onlyUpload();
        assertTrue(upload.complete());
        assertNull(upload.header("Content-Length"));
        assertEquals("chunked", upload.header("Transfer-Encoding"));
        assertEquals("application/x-scan", upload.header("Content-Type"));
        assertEquals(UploadTarget.sha256(FileServer.bytes(SIZE)), upload.sha256());
    }

    @Test
    void aFilePartFromAUrlIsStreamedBetweenItsBoundariesWithTheWholeLength() {
        JsonNode result = StepEvents.step("POST", target.url("/tickets")).variable("f", files.url("/file/" + SIZE))
                .request("body", multipart("f")).invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        UploadTarget.Received upload = onlyUpload();
        assertTrue(upload.complete());
        assertEquals(String.valueOf(upload.length()), upload.header("Content-Length"), "preamble + file + epilogue");
        assertNull(upload.header("Transfer-Encoding"));
        assertParts(upload);
    }

    @Test
    void aFilePartOfUnknownLengthMakesTheMultipartBodyChunked() {
        JsonNode result = StepEvents.step("POST", target.url("/tickets")).variable("f", files.url("/chunked/" + SIZE))
                .request("body", multipart("f")).invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        UploadTarget.Received upload = onlyUpload();
        assertTrue(upload.complete());
        assertNull(upload.header("Content-Length"));
        assertEquals("chunked", upload.header("Transfer-Encoding"));
        assertParts(upload);
    }

    private static void assertParts(UploadTarget.Received upload) {
        List<Part> parts = UploadsTest.parts(upload.header("Content-Type"), upload.body());
        assertEquals(3, parts.size());
        assertEquals("Content-Disposition: form-data; name=\"subject\"\r\nContent-Type: text/plain; charset=UTF-8", parts.get(0).head());
        assertEquals("scan", new String(parts.get(0).body(), StandardCharsets.UTF_8));
        assertEquals("Content-Disposition: form-data; name=\"doc\"; filename=\"scan.pdf\"\r\nContent-Type: application/pdf",
                parts.get(1).head());
        assertArrayEquals(FileServer.bytes(SIZE), parts.get(1).body());
        assertEquals("Content-Disposition: form-data; name=\"note\"; filename=\"n.txt\"\r\nContent-Type: application/octet-stream",
                parts.get(2).head());
        assertArrayEquals("h\u00e9llo".getBytes(StandardCharsets.UTF_8), parts.get(2).body());
    }

    @Test
    void aDownloadGrowingPastMaxUploadBytesCutsTheRequestBeforeItsEnd() throws Exception {
        JsonNode binary = StepEvents.step("PUT", target.url("/bucket/scan.pdf")).variable("u", files.url("/chunked/" + SIZE))
                .options("{\"maxUploadBytes\": 1048576}").request("body", BINARY).invoke();
        assertEquals("RESPONSE_TOO_LARGE", binary.get("error").get("code").asText(), binary.toString());
        assertEquals("step.request.body.url", binary.get("error").get("reason").asText());

        JsonNode part = StepEvents.step("POST", target.url("/tickets")).variable("f", files.url("/chunked/" + SIZE))
                .options("{\"maxUploadBytes\": 1048576}").request("body", multipart("f")).invoke();
        assertEquals("RESPONSE_TOO_LARGE", part.get("error").get("code").asText(), part.toString());
        assertEquals("step.request.body.fields[1].file.url", part.get("error").get("reason").asText());
        assertNoCompleteUpload(2);
    }

    @Test
    void aDownloadAnnouncingMoreThanMaxUploadBytesIsRefusedBeforeAnythingIsSent() {
        JsonNode result = StepEvents.step("PUT", target.url("/bucket/scan.pdf")).variable("u", files.url("/file/" + SIZE))
                .options("{\"maxUploadBytes\": 1048576}").request("body", BINARY).invoke();
        assertEquals("RESPONSE_TOO_LARGE", result.get("error").get("code").asText(), result.toString());
        assertEquals(0, target.received().size());
    }

    @Test
    void aDownloadThatDripsPastTheDeadlineIsATimeoutAndTheRequestIsCut() throws Exception {
        JsonNode result = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> StepEvents.step("PUT",
                target.url("/bucket/scan.pdf")).variable("u", files.url("/drip")).options("{\"timeoutMs\": 1500}")
                .request("body", BINARY).invoke());
        assertEquals("TIMEOUT", result.get("error").get("code").asText(), result.toString());
        assertNoCompleteUpload(1);
    }

    @Test
    void aDownloadRedirectedToABlockedAddressSendsNothing() {
        JsonNode result = StepEvents.step("POST", target.url("/tickets")).variable("f", files.url("/to-metadata"))
                .request("body", multipart("f")).invoke();
        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText(), result.toString());
        assertEquals(0, target.received().size());
    }

    @Test
    void aRetriedAttemptDownloadsTheFileAgainAndSendsItWhole() {
        target.answering(503, 200);
        JsonNode result = StepEvents.step("PUT", target.url("/bucket/scan.pdf")).variable("u", files.url("/file/" + SIZE))
                .options("{\"retry\": {\"maxAttempts\": 2, \"initialDelayMs\": 10, \"maxDelayMs\": 20}}")
                .request("body", BINARY).invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals(2, result.get("attempts").asInt(), result.toString());
        assertEquals(2, files.served("/file/" + SIZE), "each attempt downloads the file");
        assertEquals(2, target.received().size());
        for (UploadTarget.Received upload : target.received()) {
            assertTrue(upload.complete());
            assertEquals(UploadTarget.sha256(FileServer.bytes(SIZE)), upload.sha256());
        }
    }

    @Test
    void aTemporaryRedirectRepeatsTheUploadWithTheFileDownloadedAgain() {
        target.answering(307, 200);
        JsonNode result = StepEvents.step("PUT", target.url("/bucket/scan.pdf")).variable("u", files.url("/file/" + SIZE))
                .request("body", BINARY).invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals(2, files.served("/file/" + SIZE));
        assertEquals(List.of("/bucket/scan.pdf", "/redirected"), target.received().stream().map(UploadTarget.Received::path).toList());
        for (UploadTarget.Received upload : target.received()) {
            assertTrue(upload.complete());
            assertEquals(UploadTarget.sha256(FileServer.bytes(SIZE)), upload.sha256());
        }
    }

    @Test
    void aServerThatAnswersBeforeTheBodyEndsGetsItsAnswerHeardAndTheUploadStops() throws Exception {
        try (HostileServer early = new HostileServer(HostileServer.raw("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"))) {
            JsonNode result = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> StepEvents.step("PUT", early.url("/bucket"))
                    .variable("u", files.url("/chunked/" + SIZE)).request("body", BINARY).invoke());
            assertEquals(401, result.get("status").asInt(), result.toString());
        }
        // Nothing of that upload is left holding the client: the next one goes through.
        aBinaryBodyFromAUrlGoesOutWithTheDownloadsLengthAndBytes();
    }

    /** The target saw {@code requests} requests begin (the step failed after it started), none of them whole. */
    private void assertNoCompleteUpload(int requests) throws InterruptedException {
        // The target notices the cut connection on its own thread: wait (bounded) until it has.
        for (int i = 0; i < 200 && target.received().size() < requests; i++) {
            Thread.sleep(50);
        }
        assertEquals(requests, target.received().size());
        for (UploadTarget.Received upload : target.received()) {
            assertFalse(upload.complete(), "the target never gets a complete-looking body");
            assertTrue(upload.length() < SIZE);
        }
    }
}
