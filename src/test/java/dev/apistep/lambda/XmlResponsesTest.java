package dev.apistep.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.DemoApi;
import dev.apistep.support.StepEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** XML answers read through the Lambda event path: paths, XPath, test mode's list, hostile XML refused; bodyBase64. */
@QuarkusTest
class XmlResponsesTest {

    private static final String ORDER = "<?xml version=\"1.0\"?><order id=\"A-17\"><status>shipped</status>"
            + "<items><item sku=\"SKU-1\"/><item sku=\"SKU-2\"/></items></order>";
    private static final byte[] PDF = {'%', 'P', 'D', 'F', '-', '1', '.', '7', '\n', (byte) 0xE2, (byte) 0xE3, 0, (byte) 0xFF};

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();
    @RegisterExtension
    static final WireMockExtension canary = DemoApi.server();

    @BeforeEach
    void script() {
        api.stubFor(get(urlPathEqualTo("/order")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml; charset=utf-8").withBody(ORDER)));
        api.stubFor(get(urlPathEqualTo("/soap")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/soap+xml").withBody(
                        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><r><code>7</code></r></s:Body></s:Envelope>")));
        api.stubFor(get(urlPathEqualTo("/laughs")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml").withBody(dev.apistep.capture.XmlCaptureTestAccess.BILLION_LAUGHS)));
        api.stubFor(get(urlPathEqualTo("/external")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml").withBody("<?xml version=\"1.0\"?><!DOCTYPE r ["
                        + "<!ENTITY file SYSTEM \"file:///etc/passwd\"><!ENTITY url SYSTEM \"" + DemoApi.base(canary) + "/leak\">]>"
                        + "<r><a>&file;</a><b>&url;</b></r>")));
        api.stubFor(get(urlPathEqualTo("/deep")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml").withBody("<a>".repeat(10_000) + "</a>".repeat(10_000))));
        api.stubFor(get(urlPathEqualTo("/pdf")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/pdf").withBody(PDF)));
    }

    @Test
    void capturesFromXmlWithDottedPathsJsonPathAndXpath() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/order")
                .capture("[{\"variable\": \"status\", \"path\": \"response.order.status\"},"
                        + " {\"variable\": \"id\", \"path\": \"order.@id\"},"
                        + " {\"variable\": \"skus\", \"path\": \"$..item[*].@sku\"},"
                        + " {\"variable\": \"second\", \"path\": \"xpath:/order/items/item[2]/@sku\"},"
                        + " {\"variable\": \"count\", \"path\": \"xpath:count(//item)\"}]")
                .invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        JsonNode changes = result.get("changes");
        assertEquals("shipped", changes.get("status").textValue());
        assertEquals("A-17", changes.get("id").textValue());
        assertEquals("[\"SKU-1\",\"SKU-2\"]", changes.get("skus").toString());
        assertEquals("SKU-2", changes.get("second").textValue());
        assertEquals(2, changes.get("count").intValue());
        assertEquals(0, result.get("warnings").size(), result.toString());
    }

    @Test
    void namespacedXmlReadsWithTheDocumentsPrefixes() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/soap")
                .capture("[{\"variable\": \"a\", \"path\": \"s:Envelope.s:Body.r.code\"},"
                        + " {\"variable\": \"b\", \"path\": \"xpath:/s:Envelope/s:Body/r/code\"}]")
                .invoke();
        assertEquals("7", result.get("changes").get("a").textValue(), result.toString());
        assertEquals("7", result.get("changes").get("b").textValue(), result.toString());
    }

    @Test
    void testModeListsXmlPaths() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/order").mode("test").invoke();
        assertEquals("[\"response\",\"response.order\",\"response.order.@id\",\"response.order.status\","
                + "\"response.order.items\",\"response.order.items.item\",\"response.order.items.item[0]\","
                + "\"response.order.items.item[0].@sku\",\"response.order.items.item[1]\","
                + "\"response.order.items.item[1].@sku\"]", result.get("response").get("paths").toString());
    }

    @Test
    void billionLaughsIsRefusedNeverExpanded() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/laughs")
                .capture("[{\"variable\": \"v\", \"path\": \"lolz\"}, {\"variable\": \"x\", \"path\": \"xpath:string(/lolz)\"}]")
                .invoke();
        assertEquals("success", result.get("branch").asText(), "refusing the XML never fails the step");
        assertEquals(0, result.get("changes").size(), result.toString());
        assertTrue(result.get("warnings").get(0).asText().contains("declares a DOCTYPE"), result.toString());
    }

    @Test
    void externalEntitiesAreNeitherReadNorFetched() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/external").mode("test")
                .capture("[{\"variable\": \"a\", \"path\": \"r.a\"}, {\"variable\": \"b\", \"path\": \"xpath:/r/b\"}]")
                .invoke();
        assertEquals("success", result.get("branch").asText());
        assertEquals(0, result.get("changes").size(), result.toString());
        assertTrue(result.get("warnings").get(0).asText().contains("declares a DOCTYPE"), result.toString());
        assertFalse(result.toString().contains("root:"), "no file content anywhere in the result");
        assertEquals(0, canary.findAll(anyRequestedFor(anyUrl())).size(), "the entity's URL was never fetched");
        assertEquals("[]", result.get("response").get("paths").toString());
    }

    @Test
    void deepNestingIsRefused() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/deep")
                .capture("[{\"variable\": \"v\", \"path\": \"a.a\", \"default\": \"none\"}]").invoke();
        assertEquals("success", result.get("branch").asText());
        assertEquals("none", result.get("changes").get("v").textValue());
        assertTrue(result.get("warnings").get(0).asText().contains("nests deeper than 200"), result.toString());
    }

    @Test
    void bodyBase64CapturesTheBytesAsTheyCame() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/pdf")
                .capture("[{\"variable\": \"pdf\", \"path\": \"bodyBase64\"}]").invoke();
        assertEquals(Base64.getEncoder().encodeToString(PDF), result.get("changes").get("pdf").textValue());
    }

    /** Test mode names a body of bytes instead of decoding it; the capture still has every byte. */
    @Test
    void testModeShowsABinaryBodyByItsSizeAndType() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/pdf").mode("test")
                .capture("[{\"variable\": \"pdf\", \"path\": \"bodyBase64\"}]").invoke();
        assertEquals("<" + PDF.length + " bytes of application/pdf>", result.at("/response/body").asText(), result.toString());
        assertEquals(Base64.getEncoder().encodeToString(PDF), result.get("changes").get("pdf").textValue());
    }

    @Test
    void bodyBase64StaysWithinMaxResponseBytes() {
        JsonNode result = StepEvents.step("GET", DemoApi.base(api) + "/pdf").options("{\"maxResponseBytes\": 8}")
                .capture("[{\"variable\": \"pdf\", \"path\": \"bodyBase64\"}]").invoke();
        assertEquals("RESPONSE_TOO_LARGE", result.get("error").get("code").asText());
        assertFalse(result.get("changes").has("pdf"));
    }
}
