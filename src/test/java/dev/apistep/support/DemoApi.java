package dev.apistep.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Scripted HTTP servers on free loopback ports, started and stopped with the test class and reset after
 * each test (WireMock's JUnit extension).
 */
public final class DemoApi {

    private DemoApi() {
    }

    public static WireMockExtension server() {
        return WireMockExtension.newInstance().options(options().bindAddress("127.0.0.1").dynamicPort()).build();
    }

    /** Also serves https, with WireMock's own self-signed certificate. */
    public static WireMockExtension serverWithTls() {
        return WireMockExtension.newInstance()
                .options(options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort()).build();
    }

    /** A loopback port nothing listens on: connecting to it is refused at once. */
    public static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String base(WireMockExtension server) {
        return "http://127.0.0.1:" + server.getPort();
    }
}
