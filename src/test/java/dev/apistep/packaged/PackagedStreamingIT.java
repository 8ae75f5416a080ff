package dev.apistep.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.support.FileServer;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.LocalRuntimeApi;
import dev.apistep.support.PackagedFunction;
import dev.apistep.support.StepEvents;
import dev.apistep.support.UploadTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A file close to the 50 MiB upload cap, uploaded from a URL by the packaged function with a heap that cannot hold
 * it twice: it is streamed from its download into the request, so the target receives every byte. (Held in memory
 * as before, the download alone grew its buffer to 32 MiB and 50 MiB at once, then the client copied it again.)
 */
class PackagedStreamingIT {

    private static final String SMALL_HEAP = "-Xmx64m";
    private static final int SIZE = 48 * 1024 * 1024 + 5;
    private static final String OPTIONS = "{\"timeoutMs\": 60000, \"maxUploadBytes\": 52428800}";

    private static FileServer files;
    private static UploadTarget target;
    private static LocalRuntimeApi runtime;
    private static PackagedFunction function;
    private static String expectedSha256;

    @BeforeAll
    static void start() throws Exception {
        files = new FileServer();
        target = new UploadTarget();
        runtime = new LocalRuntimeApi();
        List<String> smallHeap = new ArrayList<>(PackagedFunction.LAMBDA_JVM_OPTIONS);
        smallHeap.add(SMALL_HEAP);
        function = PackagedFunction.start(runtime.address(), "127.0.0.1", smallHeap,
                Path.of("target", "packaged-streaming.log"));
        expectedSha256 = UploadTarget.sha256(FileServer.bytes(SIZE));
    }

    @AfterAll
    static void stop() throws Exception {
        function.close();
        runtime.close();
        files.close();
        target.close();
    }

    private static UploadTarget.Received upload(String event) throws Exception {
        int before = target.received().size();
        JsonNode result = LambdaEvents.read(runtime.invokeAndWait(event, 90_000));
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals(before + 1, target.received().size());
        return target.received().get(before);
    }

    @Test
    void aBinaryBodyNearTheCapIsStreamedWhole() throws Exception {
        UploadTarget.Received received = upload(StepEvents.step("PUT", target.url("/bucket/big.bin"))
                .variable("u", files.url("/file/" + SIZE)).options(OPTIONS)
                .request("body", "{\"type\": \"binary\", \"url\": \"{u}\"}").json().toString());
        assertTrue(received.complete());
        assertEquals(String.valueOf(SIZE), received.header("Content-Length"));
        assertEquals(SIZE, received.length());
        assertEquals(expectedSha256, received.sha256());
    }

    @Test
    void aFilePartNearTheCapOfUnknownLengthIsStreamedWhole() throws Exception {
        UploadTarget.Received received = upload(StepEvents.step("POST", target.url("/tickets"))
                .variable("u", files.url("/chunked/" + SIZE)).options(OPTIONS)
                .request("body", "{\"type\": \"multipart\", \"fields\": [{\"name\": \"doc\", \"file\": {\"url\": \"{u}\"}}]}")
                .json().toString());
        assertTrue(received.complete());
        assertEquals("chunked", received.header("Transfer-Encoding"));
        String boundary = received.header("Content-Type").substring("multipart/form-data; boundary=".length());
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"" + SIZE
                + "\"\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        MessageDigest whole = MessageDigest.getInstance("SHA-256");
        whole.update(head);
        whole.update(FileServer.bytes(SIZE));
        whole.update(tail);
        assertEquals(head.length + SIZE + tail.length, received.length());
        assertEquals(HexFormat.of().formatHex(whole.digest()), received.sha256(), "the file's bytes between its boundaries");
    }
}
