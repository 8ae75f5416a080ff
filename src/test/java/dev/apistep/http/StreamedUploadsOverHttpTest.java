package dev.apistep.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apistep.support.FileServer;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.StepEvents;
import dev.apistep.support.UploadTarget;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Uploads from a URL as container mode runs them, many steps on a few event loops: a file host that stalls
 * holds back only its own steps. Another step's upload goes through while the stalled ones still wait.
 */
@QuarkusTest
class StreamedUploadsOverHttpTest extends FunctionOverHttp {

    private static final int SIZE = 2 * 1024 * 1024;
    /** A stalled upload on every event loop (Quarkus starts two per core), whichever loop a request lands on. */
    private static final int STALLED = 2 * Runtime.getRuntime().availableProcessors();

    @Test
    void aStalledDownloadDoesNotHoldBackOtherStepsUploads() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(STALLED);
        try (FileServer files = new FileServer(); UploadTarget target = new UploadTarget()) {
            List<CompletableFuture<String>> stalled = new ArrayList<>();
            for (int i = 0; i < STALLED; i++) {
                stalled.add(CompletableFuture.supplyAsync(() -> post(upload(target, files.url("/drip"), 20_000)), callers));
            }
            for (int wait = 0; files.served("/drip") < STALLED; wait++) {
                assertTrue(wait < 1_500, "every stalled upload asks for its file");
                Thread.sleep(20);
            }

            JsonNode uploaded = LambdaEvents.read(post(upload(target, files.url("/file/" + SIZE), 30_000)));

            assertEquals("success", uploaded.get("branch").asText(), uploaded.toString());
            assertTrue(stalled.stream().noneMatch(CompletableFuture::isDone),
                    "the upload finished while every stalled one still waits for its file");
            UploadTarget.Received whole = target.received().stream().filter(UploadTarget.Received::complete).findFirst().orElseThrow();
            assertEquals(UploadTarget.sha256(FileServer.bytes(SIZE)), whole.sha256());
            files.close();
            for (CompletableFuture<String> step : stalled) {
                assertEquals("failure", LambdaEvents.read(step.get()).get("branch").asText(), "a file host that goes away fails its steps");
            }
        } finally {
            callers.shutdownNow();
        }
    }

    private static String upload(UploadTarget target, String fileUrl, int timeoutMs) {
        return StepEvents.step("PUT", target.url("/bucket/scan.pdf")).variable("u", fileUrl)
                .request("body", "{\"type\": \"binary\", \"url\": \"{u}\"}").options("{\"timeoutMs\": " + timeoutMs + "}")
                .json().toString();
    }

    private String post(String event) {
        return given().contentType("application/json").body(event).when().post(root).then().statusCode(200).extract().asString();
    }
}
