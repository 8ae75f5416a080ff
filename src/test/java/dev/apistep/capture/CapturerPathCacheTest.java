package dev.apistep.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.spi.cache.CacheProvider;
import dev.apistep.core.Deadline;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.NameValue;
import dev.apistep.core.Warnings;
import dev.apistep.exchange.HttpResponse;
import dev.apistep.step.Capture;
import dev.apistep.step.StepOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSONPath captures are compiled once per path and reused; the reuse never mixes up responses. */
class CapturerPathCacheTest {

    private static final ObjectMapper JSON = LosslessJson.newMapper();
    private final Capturer capturer = new Capturer(JSON);

    private String capture(String path, String body, Warnings warnings) {
        HttpResponse response = new HttpResponse(200, List.of(new NameValue("Content-Type",
                "application/json")), body.getBytes(StandardCharsets.UTF_8), URI.create("http://h.test/"));
        var changes = capturer.capture(List.of(new Capture("v", path, false, null)), ResponseDocument.of(response, JSON),
                warnings, Deadline.afterMillis(StepOptions.MAX_TIMEOUT_MS));
        return changes.has("v") ? changes.get("v").toString() : null;
    }

    @Test
    void aPathIsCompiledOnceAndEachResponseGetsItsOwnValue() {
        String path = "$.cache.probe[0].sku";
        assertNull(CacheProvider.getCache().get(path));
        assertEquals("\"A\"", capture(path, "{\"cache\": {\"probe\": [{\"sku\": \"A\"}]}}", new Warnings()));
        assertNotNull(CacheProvider.getCache().get(path), "the compiled path was not kept");
        assertEquals("\"B\"", capture(path, "{\"cache\": {\"probe\": [{\"sku\": \"B\"}]}}", new Warnings()));
        assertNull(capture(path, "{\"cache\": {}}", new Warnings()));
    }

    @Test
    void anInvalidPathIsReportedEveryTimeAndNeverCached() {
        String path = "$.cache[?(";
        for (int i = 0; i < 2; i++) {
            Warnings warnings = new Warnings();
            assertNull(capture(path, "{\"cache\": 1}", warnings));
            assertTrue(warnings.list().stream().anyMatch(w -> w.contains("is not valid JSONPath")), "no warning");
        }
        assertNull(CacheProvider.getCache().get(path));
    }
}
