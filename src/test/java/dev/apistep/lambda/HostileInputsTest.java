package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.LogCapture;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of hostile inputs across the destination, header, size, template and JSON rules. Each row
 * asserts the code and the branch, that a canary listening on a refused address (127.0.0.2) heard
 * nothing, that the allowed server heard nothing unless the row needs it to, and that the step's
 * bearer token reached neither the result nor the log.
 */
@QuarkusTest
class HostileInputsTest {

    private static final String TOKEN = "canary-bearer-5e6f";

    @RegisterExtension
    static final WireMockExtension canary = WireMockExtension.newInstance()
            .options(options().bindAddress("127.0.0.2").dynamicPort()).build();
    /** Jetty's own header buffer is raised so that it can send the oversize header our client must refuse. */
    @RegisterExtension
    static final WireMockExtension allowed = WireMockExtension.newInstance()
            .options(options().bindAddress("127.0.0.1").dynamicPort().jettyHeaderResponseSize(256 * 1024)).build();

    /** One hostile input: how to build the step, the code it must fail with, and whether the allowed server may be reached. */
    private record Row(String name, Function<Ports, StepEvents> step, String code, boolean reachesAllowedServer) {
        @Override
        public String toString() {
            return name;
        }
    }

    private record Ports(int canary, int allowed) {
        String canaryUrl(String host) {
            return "http://" + host + ":" + canary + "/x";
        }

        String allowedUrl(String path) {
            return "http://127.0.0.1:" + allowed + path;
        }
    }

    @BeforeEach
    void script() {
        canary.stubFor(any(anyUrl()).willReturn(okJson("{\"reached\": \"canary\"}")));
        allowed.stubFor(any(anyUrl()).atPriority(10).willReturn(okJson("{}")));
        allowed.stubFor(any(urlPathEqualTo("/to-canary")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://127.0.0.2:" + canary.getPort() + "/x")));
        allowed.stubFor(any(urlPathEqualTo("/to-mapped-canary")).willReturn(aResponse().withStatus(307)
                .withHeader("Location", "http://[::ffff:127.0.0.2]:" + canary.getPort() + "/x")));
        allowed.stubFor(any(urlPathEqualTo("/to-metadata")).willReturn(aResponse().withStatus(301)
                .withHeader("Location", "http://169.254.169.254/latest/meta-data/iam/")));
        allowed.stubFor(any(urlPathEqualTo("/to-file")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "file:///etc/passwd")));
        allowed.stubFor(any(urlPathEqualTo("/big-header")).willReturn(okJson("{}").withHeader("X-Big", "b".repeat(100_000))));
        allowed.stubFor(any(urlPathEqualTo("/big-body")).willReturn(aResponse().withStatus(200).withBody("c".repeat(2 * 1024 * 1024))));
    }

    static Stream<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String host : List.of("127.0.0.2", "[::ffff:127.0.0.2]", "[::ffff:7f00:2]", "[::127.0.0.2]",
                "[64:ff9b::7f00:2]", "[2002:7f00:2::]", "[::1]", "[::]", "0.0.0.0", "127.255.255.254")) {
            rows.add(blocked("loopback " + host, ports -> ports.canaryUrl(host)));
        }
        for (String url : List.of("http://10.0.0.1/x", "http://10.255.255.255/x", "http://172.16.0.1/x",
                "http://172.31.255.254/x", "http://192.168.0.1/x", "http://169.254.169.254/latest/meta-data/",
                "http://169.254.170.2/v2/credentials", "http://[::ffff:a9fe:a9fe]/latest/", "http://100.64.0.1/x",
                "http://192.0.0.1/x", "http://192.0.2.1/x", "http://198.18.0.1/x", "http://198.51.100.1/x",
                "http://203.0.113.1/x", "http://224.0.0.1/x", "http://240.0.0.1/x", "http://255.255.255.255/x",
                "http://[fe80::1]/x", "http://[fc00::1]/x", "http://[fd00::1]/x", "http://[fec0::1]/x",
                "http://[ff02::1]/x", "http://[2001:db8::1]/x", "gopher://127.0.0.2/x", "ftp://example.com/x",
                "file:///etc/passwd", "dict://127.0.0.2:11211/stat")) {
            rows.add(blocked(url, ports -> url));
        }
        for (String host : List.of("2130706434", "0x7f000002", "0177.0.0.2", "127.2", "0x7f.0.0.2", "017700000002")) {
            rows.add(new Row("other notation " + host, ports -> get(ports.canaryUrl(host)), "INVALID_STEP", false));
        }
        rows.add(new Row("nested scheme jar:http://127.0.0.2/x!/", ports -> get("jar:http://127.0.0.2/x!/"), "INVALID_STEP", false));
        rows.add(new Row("credentials in the URL", ports -> get("http://user:pass@127.0.0.2:" + ports.canary() + "/x"), "INVALID_STEP", false));
        rows.add(new Row("variable in the host", ports -> get("http://{host}/x").variable("host", "127.0.0.2"), "INVALID_STEP", false));
        rows.add(new Row("variable in the scheme", ports -> get("{scheme}://127.0.0.1/x").variable("scheme", "http"), "INVALID_STEP", false));
        rows.add(new Row("redirect to loopback", ports -> get(ports.allowedUrl("/to-canary")), "BLOCKED_DESTINATION", true));
        rows.add(new Row("redirect to mapped loopback", ports -> get(ports.allowedUrl("/to-mapped-canary")), "BLOCKED_DESTINATION", true));
        rows.add(new Row("redirect to metadata", ports -> get(ports.allowedUrl("/to-metadata")), "BLOCKED_DESTINATION", true));
        rows.add(new Row("redirect to a file", ports -> get(ports.allowedUrl("/to-file")), "BLOCKED_DESTINATION", true));
        for (String header : List.of("Host", "Content-Length", "Transfer-Encoding", "TE", "Connection", "Upgrade",
                "Keep-Alive", "Trailer", "Expect", "Proxy-Authorization", "X-aws-ec2-metadata-token",
                "X-aws-ec2-metadata-token-ttl-seconds", "Metadata", "Metadata-Flavor", "X-Aws-Parameters-Secrets-Token",
                "host", "METADATA-FLAVOR")) {
            rows.add(new Row("header " + header, ports -> get(ports.allowedUrl("/h")).header(header, "v"), "INVALID_STEP", false));
        }
        for (String value : List.of("a\r\nX-Injected: 1", "a\nb", "a\rb", "a\u0000b", "ok\r\n\r\nGET /smuggled HTTP/1.1")) {
            rows.add(new Row("header value " + value.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0"),
                    ports -> get(ports.allowedUrl("/h")).variable("v", value).header("X-Note", "{v}"), "INVALID_STEP", false));
        }
        for (String name : List.of("X Bad", "X:Bad", "X-Bad\r\nX-Injected", "(comment)", "X-Ünicode")) {
            rows.add(new Row("header name " + name.replace("\r\n", "\\r\\n"),
                    ports -> get(ports.allowedUrl("/h")).header(name, "v"), "INVALID_STEP", false));
        }
        rows.add(new Row("URL over 16 KiB", ports -> get(ports.allowedUrl("/u?q=" + "q".repeat(17_000))), "INVALID_STEP", false));
        rows.add(new Row("body over 1 MiB", ports -> get(ports.allowedUrl("/b")).request("body",
                "{\"type\": \"text\", \"content\": \"" + "d".repeat(1024 * 1024 + 1) + "\"}"), "INVALID_STEP", false));
        rows.add(new Row("maxResponseBytes over 4 MiB", ports -> get(ports.allowedUrl("/m")).options("{\"maxResponseBytes\": 5000000}"), "INVALID_STEP", false));
        rows.add(new Row("timeoutMs over 60 s", ports -> get(ports.allowedUrl("/t")).options("{\"timeoutMs\": 60001}"), "INVALID_STEP", false));
        rows.add(new Row("maxRedirects over 20", ports -> get(ports.allowedUrl("/r")).options("{\"maxRedirects\": 21}"), "INVALID_STEP", false));
        rows.add(new Row("path climbing variable is encoded, hole is not", ports -> get(ports.allowedUrl("/a/{v}/b"))
                .variable("v", ""), "UNRESOLVED_VARIABLE", false));
        rows.add(new Row("undefined path variable", ports -> get(ports.allowedUrl("/a/{missing}")), "UNRESOLVED_VARIABLE", false));
        rows.add(new Row("json body with a hole", ports -> get(ports.allowedUrl("/j"))
                .request("body", "{\"type\": \"json\", \"content\": \"{\\\"n\\\": {missing}}\"}"), "INVALID_BODY", false));
        rows.add(new Row("json body with trailing data", ports -> get(ports.allowedUrl("/j"))
                .request("body", "{\"type\": \"json\", \"content\": \"{} {}\"}"), "INVALID_BODY", false));
        rows.add(new Row("response header over 64 KiB", ports -> get(ports.allowedUrl("/big-header")), "RESPONSE_TOO_LARGE", true));
        rows.add(new Row("response body over the cap", ports -> get(ports.allowedUrl("/big-body")), "RESPONSE_TOO_LARGE", true));
        return rows.stream();
    }

    private static Row blocked(String name, Function<Ports, String> url) {
        return new Row(name, ports -> get(url.apply(ports)), "BLOCKED_DESTINATION", false);
    }

    private static StepEvents get(String url) {
        return StepEvents.step("GET", url).stepField("auth", "{\"type\": \"bearer\", \"token\": \"" + TOKEN + "\"}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void isRefusedWithItsCodeAndNothingReachesOrLeaks(Row row) {
        JsonNode result;
        List<String> log;
        try (LogCapture capture = LogCapture.start()) {
            result = row.step().apply(new Ports(canary.getPort(), allowed.getPort())).invoke();
            log = capture.lines();
        }
        assertEquals("failure", result.get("branch").asText(), result.toString());
        assertEquals(row.code(), result.get("error").get("code").asText(), result.toString());
        assertEquals(0, canary.findAll(anyRequestedFor(anyUrl())).size(), "the canary on 127.0.0.2 heard nothing");
        if (!row.reachesAllowedServer()) {
            assertEquals(0, allowed.findAll(anyRequestedFor(anyUrl())).size(), "nothing was sent");
        }
        assertFalse(result.toString().contains(TOKEN), result.toString());
        log.forEach(line -> assertFalse(line.contains(TOKEN), line));
    }
}
