package dev.apistep.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/**
 * Response bodies within every parser limit (nesting, elements, size) whose captures would repeat or copy
 * them many times over: issue 23's classes 4 and 5, shared by the event-path and the packaged tests.
 */
public final class HostileDocuments {

    /** Under the 4 MiB a step may read, with room for the chain's own brackets. */
    public static final int MAX_RESPONSE_BYTES = 4_000_000;

    private HostileDocuments() {
    }

    /** Each document at its path ({@code /deep-json}, {@code /wide-json}, {@code /deep-xml}, {@code /huge-text}, {@code /many-texts}), and {@code /small}. */
    public static void serve(WireMockExtension api) {
        serve(api, "/deep-json", "application/json", deepJsonChain());
        serve(api, "/wide-json", "application/json", wideJsonList());
        serve(api, "/deep-xml", "application/xml", deepXmlChains());
        serve(api, "/huge-text", "application/xml", hugeXmlText());
        serve(api, "/many-texts", "application/xml", manyXmlTexts());
        serve(api, "/small", "application/json", "{\"ok\": true}");
    }

    private static void serve(WireMockExtension api, String path, String type, String body) {
        api.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", type)
                .withBody(body)));
    }

    /** 190 nested objects, each with 20,000 characters of text (3.8 MB): {@code $..*} repeats each level's subtree. */
    public static String deepJsonChain() {
        int levels = 190;
        String text = "a".repeat(20_000);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            body.append("{\"p\": \"").append(text).append("\", \"c\": ");
        }
        body.append("{}");
        return body.append("}".repeat(levels)).toString();
    }

    /** 120,000 small objects (3.8 MB): every match of {@code $..x} is small, all of them together are not. */
    public static String wideJsonList() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 120_000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"x\": \"").append(String.format("%020d", i)).append("\"}");
        }
        return body.append("]").toString();
    }

    /** 1,000 chains of 199 nested elements (199,001 elements, 200 deep): {@code //*} selects every subtree. */
    public static String deepXmlChains() {
        StringBuilder body = new StringBuilder("<r>");
        String open = "<e>".repeat(199);
        String close = "</e>".repeat(199);
        for (int chain = 0; chain < 1000; chain++) {
            body.append(open).append(close);
        }
        return body.append("</r>").toString();
    }

    /** One text node of 3.9 million characters: each string value of the document is all of it. */
    public static String hugeXmlText() {
        return "<r><t>" + "x".repeat(3_900_000) + "</t></r>";
    }

    /** 150,000 elements with a text each: {@code //node()} selects 300,000 nodes. */
    public static String manyXmlTexts() {
        return "<r>" + "<e>1</e>".repeat(150_000) + "</r>";
    }
}
