package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Binary bodies and file parts, as the server received them: bytes, part headers, boundaries. */
@QuarkusTest
class UploadsTest {

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    /** Every byte value, then some random ones (a boundary-like run included). */
    static final byte[] PDF = pdf();

    private static byte[] pdf() {
        byte[] bytes = new byte[4096];
        for (int i = 0; i < 256; i++) {
            bytes[i] = (byte) i;
        }
        byte[] random = new byte[bytes.length - 256];
        new Random(17).nextBytes(random);
        System.arraycopy(random, 0, bytes, 256, random.length);
        byte[] dashes = "\r\n--api-step-".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(dashes, 0, bytes, 1000, dashes.length);
        return bytes;
    }

    @BeforeEach
    void answerEverything() {
        api.stubFor(any(anyUrl()).willReturn(ok("{}").withHeader("Content-Type", "application/json")));
    }

    private static List<LoggedRequest> sent() {
        return api.findAll(anyRequestedFor(anyUrl()));
    }

    private static LoggedRequest onlyRequest() {
        assertEquals(1, sent().size());
        return sent().get(0);
    }

    @Test
    void binaryBodyGoesOutByteForByte() {
        JsonNode result = StepEvents.step("PUT", DemoApi.base(api) + "/upload/doc.pdf")
                .variable("pdf_b64", Base64.getEncoder().encodeToString(PDF))
                .request("body", "{\"type\": \"binary\", \"content\": \"{pdf_b64}\", \"encoding\": \"base64\","
                        + " \"contentType\": \"application/pdf\"}")
                .invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        LoggedRequest request = onlyRequest();
        assertArrayEquals(PDF, request.getBody());
        assertEquals("application/pdf", request.getHeader("Content-Type"));
        assertEquals(String.valueOf(PDF.length), request.getHeader("Content-Length"));
    }

    @Test
    void binaryAcceptsDataUrlsUrlSafeAlphabetLineBreaksAndNoPadding() {
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(PDF);
        String mime = Base64.getMimeEncoder().encodeToString(PDF);
        for (String encoded : List.of("data:application/pdf;base64," + Base64.getEncoder().encodeToString(PDF), urlSafe, mime)) {
            api.resetRequests();
            StepEvents.step("POST", DemoApi.base(api) + "/b").variable("b", encoded)
                    .request("body", "{\"type\": \"binary\", \"content\": \"{b}\"}").invoke();
            assertArrayEquals(PDF, onlyRequest().getBody());
            assertEquals("application/octet-stream", onlyRequest().getHeader("Content-Type"));
        }
    }

    @Test
    void invalidBase64IsInvalidBodyAndNothingIsSent() {
        JsonNode result = StepEvents.step("POST", DemoApi.base(api) + "/b").variable("b", "not base64!")
                .request("body", "{\"type\": \"binary\", \"content\": \"{b}\"}").invoke();
        assertEquals("INVALID_BODY", result.get("error").get("code").asText(), result.toString());
        assertEquals("step.request.body.content", result.get("error").get("reason").asText());
        assertTrue(!result.get("error").get("message").asText().contains("not base64!"), "the content is never quoted");
        assertEquals(0, sent().size());
    }

    @Test
    void uploadsPastTheTextCapAreAllowedUpToMaxUploadBytes() {
        byte[] big = new byte[1536 * 1024];
        new Random(3).nextBytes(big);
        String encoded = Base64.getEncoder().encodeToString(big);
        StepEvents.step("PUT", DemoApi.base(api) + "/big").variable("b", encoded)
                .request("body", "{\"type\": \"binary\", \"content\": \"{b}\"}").invoke();
        assertArrayEquals(big, onlyRequest().getBody());

        api.resetRequests();
        JsonNode refused = StepEvents.step("PUT", DemoApi.base(api) + "/big").variable("b", encoded)
                .options("{\"maxUploadBytes\": 1048576}")
                .request("body", "{\"type\": \"binary\", \"content\": \"{b}\"}").invoke();
        assertEquals("INVALID_STEP", refused.get("error").get("code").asText(), refused.toString());
        assertEquals("step.request.body.content", refused.get("error").get("reason").asText());
        assertTrue(refused.get("error").get("message").asText().contains("maxUploadBytes (1048576)"));
        assertEquals(0, sent().size());

        JsonNode tooHigh = StepEvents.step("PUT", DemoApi.base(api) + "/big").options("{\"maxUploadBytes\": 52428801}").invoke();
        assertEquals("step.options.maxUploadBytes", tooHigh.get("error").get("reason").asText());
    }

    @Test
    void filePartsGoOutWithTheirFilenameTypeAndExactBytes() {
        JsonNode result = StepEvents.step("POST", DemoApi.base(api) + "/tickets")
                .variable("photo_b64", Base64.getEncoder().encodeToString(PDF))
                .request("body", "{\"type\": \"multipart\", \"fields\": ["
                        + "{\"name\": \"subject\", \"value\": \"broken\"},"
                        + "{\"name\": \"file\", \"file\": {\"content\": \"{photo_b64}\", \"encoding\": \"base64\","
                        + " \"filename\": \"photo.jpg\", \"contentType\": \"image/jpeg\"}},"
                        + "{\"name\": \"note\", \"file\": {\"content\": \"h\u00e9llo\", \"encoding\": \"text\", \"filename\": \"n.txt\"}}]}")
                .invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        List<Part> parts = parts(onlyRequest());
        assertEquals(3, parts.size());
        assertEquals("Content-Disposition: form-data; name=\"subject\"\r\nContent-Type: text/plain; charset=UTF-8", parts.get(0).head);
        assertEquals("broken", new String(parts.get(0).body, StandardCharsets.UTF_8));
        assertEquals("Content-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg", parts.get(1).head);
        assertArrayEquals(PDF, parts.get(1).body);
        assertEquals("Content-Disposition: form-data; name=\"note\"; filename=\"n.txt\"\r\nContent-Type: application/octet-stream",
                parts.get(2).head);
        assertArrayEquals("h\u00e9llo".getBytes(StandardCharsets.UTF_8), parts.get(2).body);
    }

    @Test
    void namesAndFilenamesFromVariablesCannotAddPartsOrParameters() {
        StepEvents.step("POST", DemoApi.base(api) + "/tickets")
                .variable("name", "f\"; filename=\"evil.sh")
                .variable("filename", "a.jpg\"\r\nContent-Type: text/html\r\n\r\n--x\r\nContent-Disposition: form-data; name=\"admin")
                .variable("b", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}))
                .request("body", "{\"type\": \"multipart\", \"fields\": [{\"name\": \"{name}\", \"file\": {\"content\": \"{b}\","
                        + " \"filename\": \"{filename}\", \"contentType\": \"image/jpeg\"}}]}")
                .invoke();
        List<Part> parts = parts(onlyRequest());
        assertEquals(1, parts.size());
        assertEquals("Content-Disposition: form-data; name=\"f%22; filename=%22evil.sh\"; filename=\"a.jpg%22%0D%0AContent-Type:"
                + " text/html%0D%0A%0D%0A--x%0D%0AContent-Disposition: form-data; name=%22admin\"\r\nContent-Type: image/jpeg",
                parts.get(0).head);
        assertArrayEquals(new byte[] {1, 2, 3}, parts.get(0).body);
    }

    @Test
    void aPartContentTypeWithALineBreakIsRefused() {
        JsonNode result = StepEvents.step("POST", DemoApi.base(api) + "/tickets").variable("t", "image/jpeg\r\nX-Evil: 1")
                .request("body", "{\"type\": \"multipart\", \"fields\": [{\"name\": \"f\", \"file\": {\"content\": \"AQID\","
                        + " \"contentType\": \"{t}\"}}]}")
                .invoke();
        assertEquals("INVALID_STEP", result.get("error").get("code").asText(), result.toString());
        assertEquals("step.request.body.fields[0].file.contentType", result.get("error").get("reason").asText());
        assertEquals(0, sent().size());
    }

    @Test
    void aTextFieldGoesOutWithItsOwnContentType() {
        JsonNode result = StepEvents.step("POST", DemoApi.base(api) + "/multi").variable("t", "application/json; charset=UTF-8")
                .request("body", "{\"type\": \"multipart\", \"fields\": ["
                        + "{\"name\": \"meta\", \"value\": \"{\\\"a\\\": 1}\", \"contentType\": \"{t}\"},"
                        + "{\"name\": \"plain\", \"value\": \"x\"},"
                        + "{\"name\": \"csv\", \"value\": \"a,b\", \"contentType\": \"text/csv\"}]}")
                .invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        List<Part> parts = parts(onlyRequest());
        assertEquals(3, parts.size());
        assertEquals("Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json; charset=UTF-8", parts.get(0).head);
        assertEquals("{\"a\": 1}", new String(parts.get(0).body, StandardCharsets.UTF_8));
        assertEquals("Content-Disposition: form-data; name=\"plain\"\r\nContent-Type: text/plain; charset=UTF-8", parts.get(1).head);
        assertEquals("Content-Disposition: form-data; name=\"csv\"\r\nContent-Type: text/csv", parts.get(2).head);
        assertEquals("a,b", new String(parts.get(2).body, StandardCharsets.UTF_8));
    }

    @Test
    void aTextFieldsContentTypeThatIsNotOneMediaTypeIsRefused() {
        for (String type : List.of("text/plain\r\nX-Evil: 1", "text/plain\nContent-Disposition: form-data; name=\"admin\"",
                "text", "text/plain; a=\u0000b")) {
            JsonNode result = StepEvents.step("POST", DemoApi.base(api) + "/multi").variable("t", type)
                    .request("body", "{\"type\": \"multipart\", \"fields\": [{\"name\": \"a\", \"value\": \"b\"},"
                            + " {\"name\": \"meta\", \"value\": \"x\", \"contentType\": \"{t}\"}]}")
                    .invoke();
            assertEquals("INVALID_STEP", result.get("error").get("code").asText(), result.toString());
            assertEquals("step.request.body.fields[1].contentType", result.get("error").get("reason").asText());
        }
        assertEquals(0, sent().size());
    }

    @Test
    void aFieldContentTypeNeedsAMultipartBodyAndATextField() {
        JsonNode form = StepEvents.step("POST", DemoApi.base(api) + "/multi")
                .request("body", "{\"type\": \"form\", \"fields\": [{\"name\": \"a\", \"value\": \"b\", \"contentType\": \"text/csv\"}]}")
                .invoke();
        assertEquals("INVALID_STEP", form.get("error").get("code").asText(), form.toString());
        assertEquals("step.request.body.type", form.get("error").get("reason").asText());
        JsonNode beside = StepEvents.step("POST", DemoApi.base(api) + "/multi")
                .request("body", "{\"type\": \"multipart\", \"fields\": [{\"name\": \"a\", \"contentType\": \"text/csv\","
                        + " \"file\": {\"content\": \"AQID\"}}]}")
                .invoke();
        assertEquals("step.request.body.fields[0]", beside.get("error").get("reason").asText(), beside.toString());
        assertEquals(0, sent().size());
    }

    @Test
    void allFilesOfAStepShareOneUploadCap() {
        String kb = Base64.getEncoder().encodeToString(new byte[600]);
        JsonNode result = StepEvents.step("POST", DemoApi.base(api) + "/tickets").variable("b", kb)
                .options("{\"maxUploadBytes\": 1000}")
                .request("body", "{\"type\": \"multipart\", \"fields\": [{\"name\": \"a\", \"file\": {\"content\": \"{b}\"}},"
                        + " {\"name\": \"b\", \"file\": {\"content\": \"{b}\"}}]}")
                .invoke();
        assertEquals("step.request.body.fields[1].file.content", result.get("error").get("reason").asText(), result.toString());
        assertEquals(0, sent().size());
    }

    private void serveFiles() {
        api.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/files/photo.jpg"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withHeader("Content-Type", "image/jpeg").withBody(PDF)));
        api.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/files/moved"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(302)
                        .withHeader("Location", "/files/photo.jpg")));
        api.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/files/gone"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(404)));
    }

    private static List<LoggedRequest> uploads() {
        return sent().stream().filter(request -> !request.getMethod().getName().equals("GET")).toList();
    }

    @Test
    void aFilePartFromAUrlIsDownloadedThroughTheEgressPathAndSentAsIs() {
        serveFiles();
        JsonNode result = StepEvents.step("POST", DemoApi.base(api) + "/tickets").mode("test")
                .variable("attachment_url", DemoApi.base(api) + "/files/photo.jpg?sig=abc")
                .request("body", "{\"type\": \"multipart\", \"fields\": [{\"name\": \"file\", \"file\": {\"url\": \"{attachment_url}\"}}]}")
                .invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals(1, uploads().size());
        List<Part> parts = parts(uploads().get(0));
        assertEquals("Content-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg", parts.get(0).head);
        assertArrayEquals(PDF, parts.get(0).body);
        assertTrue(result.get("request").get("body").asText().contains("<file photo.jpg from "), result.toString());
    }

    @Test
    void aBinaryBodyFromAUrlFollowsRedirectsAndKeepsTheStepsType() {
        serveFiles();
        JsonNode result = StepEvents.step("PUT", DemoApi.base(api) + "/bucket/doc")
                .variable("file_url", DemoApi.base(api) + "/files/moved")
                .request("body", "{\"type\": \"binary\", \"url\": \"{file_url}\", \"contentType\": \"application/pdf\"}")
                .invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertArrayEquals(PDF, uploads().get(0).getBody());
        assertEquals("application/pdf", uploads().get(0).getHeader("Content-Type"));
    }

    @Test
    void aDownloadPastMaxUploadBytesOrAnErrorOrABlockedAddressUploadsNothing() {
        serveFiles();
        String body = "{\"type\": \"binary\", \"url\": \"{u}\"}";
        JsonNode large = StepEvents.step("PUT", DemoApi.base(api) + "/bucket/doc").variable("u", DemoApi.base(api) + "/files/photo.jpg")
                .options("{\"maxUploadBytes\": 1000}").request("body", body).invoke();
        assertEquals("RESPONSE_TOO_LARGE", large.get("error").get("code").asText(), large.toString());
        assertEquals("step.request.body.url", large.get("error").get("reason").asText());
        JsonNode gone = StepEvents.step("PUT", DemoApi.base(api) + "/bucket/doc").variable("u", DemoApi.base(api) + "/files/gone")
                .request("body", body).invoke();
        assertEquals("HTTP_STATUS", gone.get("error").get("code").asText(), gone.toString());
        JsonNode metadata = StepEvents.step("PUT", DemoApi.base(api) + "/bucket/doc").variable("u", "http://169.254.169.254/latest/meta-data/")
                .request("body", body).invoke();
        assertEquals("BLOCKED_DESTINATION", metadata.get("error").get("code").asText(), metadata.toString());
        JsonNode notUrl = StepEvents.step("PUT", DemoApi.base(api) + "/bucket/doc").variable("u", "file:///etc/passwd")
                .request("body", body).invoke();
        assertEquals("INVALID_STEP", notUrl.get("error").get("code").asText(), notUrl.toString());
        assertEquals(0, uploads().size());
    }

    @Test
    void renderDownloadsNothing() {
        serveFiles();
        JsonNode result = StepEvents.step("PUT", DemoApi.base(api) + "/bucket/doc").mode("render")
                .variable("u", DemoApi.base(api) + "/files/photo.jpg").request("body", "{\"type\": \"binary\", \"url\": \"{u}\"}").invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals(0, sent().size());
        assertEquals("<bytes from " + DemoApi.base(api) + "/files/photo.jpg>", result.get("request").get("body").asText());
    }

    record Part(String head, byte[] body) {
    }

    /** The body split at the boundary the Content-Type names: each part's header block and its bytes. */
    static List<Part> parts(LoggedRequest request) {
        return parts(request.getHeader("Content-Type"), request.getBody());
    }

    /** A multipart body, given its Content-Type, split into its parts. */
    static List<Part> parts(String type, byte[] bytes) {
        assertTrue(type.startsWith("multipart/form-data; boundary="), type);
        String boundary = type.substring("multipart/form-data; boundary=".length());
        String body = new String(bytes, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        assertTrue(body.startsWith(delimiter + "\r\n"), "the body opens with the boundary");
        assertTrue(body.endsWith("\r\n" + delimiter + "--\r\n"), "and closes with it");
        List<Part> parts = new ArrayList<>();
        String[] chunks = body.substring(0, body.length() - (delimiter + "--\r\n").length()).split(java.util.regex.Pattern.quote(delimiter + "\r\n"), -1);
        for (int i = 1; i < chunks.length; i++) {
            String chunk = chunks[i].substring(0, chunks[i].length() - 2);
            int blank = chunk.indexOf("\r\n\r\n");
            parts.add(new Part(new String(chunk.substring(0, blank).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8),
                    chunk.substring(blank + 4).getBytes(StandardCharsets.ISO_8859_1)));
        }
        return parts;
    }
}
