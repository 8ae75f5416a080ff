package dev.apistep.schema;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.contract.ContractCases;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract's cases, with the schemas as the binding: every event they send agrees with the event schema as
 * the parser does, and every result is valid for the result schema (the function's real stages, no Quarkus).
 */
class SchemaContractCasesTest extends ContractCases {

    /** The contract cases' own server is theirs; XML comes from this one. */
    @RegisterExtension
    static final WireMockExtension xml = DemoApi.server();

    private static PlainPipeline pipeline;

    @BeforeAll
    static void start() {
        pipeline = new PlainPipeline();
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @Override
    protected JsonNode invokeRaw(String event) {
        return SchemaChecks.runChecked(pipeline, LambdaEvents.read(event));
    }

    @Test
    void anXmlResponseInTestModeGivesAValidResultWithItsPaths() {
        xml.stubFor(get(urlPathEqualTo("/order.xml")).willReturn(aResponse().withHeader("Content-Type", "application/xml")
                .withBody("<order id=\"7\"><status>shipped</status><item><sku>A</sku></item><item><sku>B</sku></item></order>")));
        JsonNode result = invokeRaw(("{'mode': 'test', 'step': {'request': {'url': '" + DemoApi.base(xml) + "/order.xml'},"
                + " 'capture': [{'variable': 's', 'path': 'xpath:/order/status'}, {'variable': 'raw', 'path': 'bodyBase64'},"
                + " {'variable': 'sku', 'path': 'response.order.item[1].sku'}]}}").replace('\'', '"'));
        assertEquals("shipped", result.at("/changes/s").asText(), result.toString());
        assertEquals("B", result.at("/changes/sku").asText(), result.toString());
        assertTrue(result.at("/response/paths").size() > 0, result.toString());
    }
}
