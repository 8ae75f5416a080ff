package dev.apistep.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/** A scripted HTTP server on a free loopback port, one per test class. */
public final class DemoApi {

    private DemoApi() {
    }

    public static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return server;
    }

    public static String base(WireMockServer server) {
        return "http://127.0.0.1:" + server.port();
    }
}
