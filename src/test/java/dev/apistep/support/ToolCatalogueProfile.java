package dev.apistep.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A deployment that ships a tool catalogue (contract §8): the entries of {@code src/test/resources/catalog/}, their
 * {@code ${base}} the loopback API {@link #api()} started here, written to a directory named by
 * {@code API_STEP_CATALOG}, and the secret they reference.
 */
public class ToolCatalogueProfile implements QuarkusTestProfile {

    public static final List<String> ENTRIES = List.of("get-order-status", "add-order-note", "slow-lookup");
    public static final String ORDER_API_TOKEN = "order-api-token-4711";
    private static final WireMockServer API = start();
    private static final Path CATALOGUE = write();

    public static WireMockServer api() {
        return API;
    }

    public static String base() {
        return "http://127.0.0.1:" + API.port();
    }

    public static Path catalogue() {
        return CATALOGUE;
    }

    /** The loopback API with its requests forgotten and the order stubs the tools' tests share. */
    public static void resetOrders() {
        API.resetAll();
        API.stubFor(get(urlPathEqualTo("/orders/A-17")).willReturn(okJson("{\"status\": \"shipped\", \"eta\": \"2026-12-09\"}")));
        API.stubFor(get(urlPathEqualTo("/orders/A-500")).willReturn(aResponse().withStatus(500).withBody("db down at 10.0.0.7")));
        API.stubFor(post(urlPathEqualTo("/orders/A-17/notes")).willReturn(okJson("{\"id\": 981}")));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("api-step.catalog", CATALOGUE.toString());
    }

    private static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        return server;
    }

    private static Path write() {
        try {
            Path directory = Files.createTempDirectory("api-step-catalog");
            for (String entry : ENTRIES) {
                try (InputStream in = ToolCatalogueProfile.class.getResourceAsStream("/catalog/" + entry + ".json")) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${base}", base());
                    Files.writeString(directory.resolve(entry + ".json"), text);
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
