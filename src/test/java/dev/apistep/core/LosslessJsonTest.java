package dev.apistep.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The event check every binding that reads bytes runs first: only one JSON value, in well-formed UTF-8. */
class LosslessJsonTest {

    private static final ObjectMapper JSON = LosslessJson.newMapper();

    /** {"v": "<bytes>"} */
    private static byte[] inString(String hex) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"v\": \"".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(HexFormat.of().parseHex(hex));
        out.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "c328", "ff", "fe", "80", "bf", "c080", "c1bf", "e08080", "e09fbf", "eda080", "edbfbf", "f0808080", "f08fbfbf",
        "f4908080", "f5808080", "f8888080", "fc80808080", "e282", "f09f98", "c3", "e2", "f09f"})
    void refusesBytesThatAreNotWellFormedUtf8(String hex) {
        assertThrows(IOException.class, () -> LosslessJson.requireJson(JSON, inString(hex)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"c3a9", "e282ac", "f09f9880", "efbbbf", "f48fbfbf", "ee8080", "7f", "c280", "e0a080", "f0908080"})
    void acceptsWellFormedUtf8(String hex) {
        assertDoesNotThrow(() -> LosslessJson.requireJson(JSON, inString(hex)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"v\": \"\\uD800\"}", "{\"v\": \"\\uDC00\"}", "{\"v\": \"x\\uD83Dy\"}", "{\"\\uD800\": 1}",
        "[\"\\uDBFF\"]", "\"\\uD800\"", "{\"v\": \"\\uDE00\\uD83D\"}"})
    void refusesUnpairedSurrogatesEscapedOrNot(String json) {
        assertThrows(IOException.class, () -> LosslessJson.requireJson(JSON, json.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"v\": \"\\uD83D\\uDE00\"}", "{\"v\": [1, {\"a\": null}], \"w\": true}", "7", "\"x\"", "[]"})
    void acceptsOneJsonValue(String json) {
        assertDoesNotThrow(() -> LosslessJson.requireJson(JSON, json.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", " ", "{", "{\"a\": 1", "{} {}", "[1] x", "{\"a\": }"})
    void refusesWhatIsNotExactlyOneJsonValue(String json) {
        assertThrows(IOException.class, () -> LosslessJson.requireJson(JSON, json.getBytes(StandardCharsets.UTF_8)));
    }

    @org.junit.jupiter.api.Test
    void aUtf8ByteOrderMarkIsAllowedUtf16IsNot() {
        assertDoesNotThrow(() -> LosslessJson.requireJson(JSON, HexFormat.of().parseHex("efbbbf7b7d")));
        assertThrows(IOException.class, () -> LosslessJson.requireJson(JSON, HexFormat.of().parseHex("feff007b007d")));
        assertEquals(-1, LosslessJson.firstInvalidUtf8("{\"ok\": \"é€😀\"}".getBytes(StandardCharsets.UTF_8)));
    }
}
