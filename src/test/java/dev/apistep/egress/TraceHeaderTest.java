package dev.apistep.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.apistep.core.NameValue;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import dev.apistep.exchange.UsedSecrets;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which invocation trace headers reach the step's request, and in what form. */
class TraceHeaderTest {

    private static final String ROOT = "Root=1-5759e988-bd862e3fe1be46a994272793";

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
        ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1 => " + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1",
        ROOT + ";Sampled=1 => " + ROOT + ";Sampled=1",
        "Sampled=1;Parent=53995c3f42cd8ad8;" + ROOT + " => " + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1",
        ROOT + ";Sampled=1;Lineage=a87bd80c:1|68fd508a:5 => " + ROOT + ";Sampled=1",
    })
    void aSampledTraceGoesOutRebuiltFromItsParts(String invocation, String sent) {
        assertEquals(Optional.of(sent), TraceHeader.value(invocation));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ROOT + ";Sampled=0",
        ROOT,
        ROOT + ";Sampled=?",
        "Root=1-5759e988-bd862e3fe1be46a99427279;Sampled=1",
        "Root=1-5759E988-BD862E3FE1BE46A994272793;Sampled=1",
        "Root=1-5759e988-bd862e3fe1be46a994272793\r\nX-Injected: 1;Sampled=1",
        "Root=1-5759e988-bd862e3fe1be46a994272793x;Sampled=1",
        "3c5b1a4e-7c1f-4a3e-9a2b-1f6f7c2d9e10",
        "",
    })
    void anythingElseSendsNothing(String invocation) {
        assertEquals(Optional.empty(), TraceHeader.value(invocation));
    }

    @Test
    void aParentInjectionIsDropped() {
        assertEquals(Optional.of(ROOT + ";Sampled=1"),
                TraceHeader.value(ROOT + ";Parent=53995c3f42cd8ad8\r\nEvil: 1;Sampled=1"));
    }

    @Test
    void theStepsOwnHeaderWinsAndNoInvocationAddsNothing() {
        OutboundRequest own = request(List.of(new NameValue("x-amzn-trace-id", "Root=mine")));
        TraceHeader traced = new TraceHeader(() -> ROOT + ";Sampled=1");
        assertEquals(own.headers(), traced.propagate(own).headers());

        OutboundRequest plain = request(List.of());
        assertEquals(List.of(new NameValue(TraceHeader.NAME, ROOT + ";Sampled=1")), traced.propagate(plain).headers());
        assertFalse(new TraceHeader(() -> null).propagate(plain).hasHeader(TraceHeader.NAME));
    }

    private static OutboundRequest request(List<NameValue> headers) {
        return new OutboundRequest("GET", URI.create("https://api.example.com/"), headers, RequestBody.NONE, null,
                UsedSecrets.NONE);
    }
}
