package dev.apistep.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.support.ContainerFunction;
import dev.apistep.support.DemoApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The workbench page in a real browser (Debian's headless Chromium) against the packaged container build
 * with the page enabled, calling a loopback API. A screenshot of each state is written under
 * {@code target/container/workbench/}.
 */
class WorkbenchBrowserIT {

    private static final Path LOG = Path.of("target", "container", "workbench-function.log");
    private static final String ORDER = "{\"order\": {\"id\": \"A-17\", \"status\": \"shipped\", \"items\": [{\"sku\": \"SKU-1\"}]}}";

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    /** The page posts through the same caller check as any caller (contract §11): its user types a token. */
    private static final String CALLER_TOKEN = "workbench-caller-5e2b";
    private static ContainerFunction function;
    private HeadlessChromium.Window window;
    private WorkbenchPage page;

    @BeforeAll
    static void start() throws Exception {
        function = ContainerFunction.start(List.of("-Dapi-step.allowed-destinations=127.0.0.1", "-Dapi-step.workbench.enabled=true",
                "-Dapi-step.callers={\"" + CALLER_TOKEN + "\": \"*\"}"), LOG);
    }

    @AfterAll
    static void stop() throws Exception {
        if (function != null) {
            function.close();
        }
    }

    @BeforeEach
    void openThePage() throws Exception {
        window = HeadlessChromium.open();
        page = new WorkbenchPage(window.driver(), function.url());
        page.type("caller-token", CALLER_TOKEN);
    }

    @Test
    void withoutACallerTokenNothingIsSentAndThePageSaysWhy() throws Exception {
        api.stubFor(get(urlPathEqualTo("/orders/A-1")).willReturn(okJson("{}")));
        page.type("caller-token", "");
        page.type("url", DemoApi.base(api) + "/orders/A-1");
        page.field("send").click();
        page.waitUntil("the page says why", () -> page.text("form-message").contains("API_STEP_CALLERS"));
        api.verify(0, getRequestedFor(urlPathEqualTo("/orders/A-1")));
    }

    @AfterEach
    void closeThePage() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    @Test
    void aValuePickedInTheResponseTreeIsCapturedOnTheNextSend() throws Exception {
        api.stubFor(get(urlPathEqualTo("/orders/A-17")).willReturn(okJson(ORDER)));
        page.type("url", DemoApi.base(api) + "/orders/{order_id}");
        page.type("variables", "{\"order_id\": \"A-17\"}");
        page.awaitResultOf(() -> page.field("render").click());
        assertTrue(page.text("result-request").startsWith("GET " + DemoApi.base(api) + "/orders/A-17"), page.text("result-request"));
        assertTrue(page.value("export-curl").contains("/orders/A-17"), "the cURL export is the render's");
        assertEquals(List.of(), api.getAllServeEvents(), "render sends nothing");

        page.send();
        assertEquals("success", page.text("result-branch"));
        assertEquals("200", page.text("result-status"));
        page.screenshot("1-sent");

        WebElement status = page.leaf("response.order.status");
        assertEquals("\"shipped\"", status.getText());
        status.click();
        WebElement capture = page.driver.findElement(By.cssSelector("#captures .row"));
        assertEquals("response.order.status", capture.findElement(By.cssSelector("[data-key='path']")).getDomProperty("value"));
        WebElement variable = capture.findElement(By.cssSelector("[data-key='variable']"));
        assertEquals("status", variable.getDomProperty("value"));
        variable.clear();
        variable.sendKeys("order_status");
        page.screenshot("2-capture-picked");

        page.send();
        assertTrue(page.text("result-changes").contains("\"order_status\": \"shipped\""), page.text("result-changes"));
        assertTrue(page.value("export-event").contains("\"variable\": \"order_status\""), "the export carries the capture");
        assertTrue(page.value("export-curl").startsWith("curl "), page.value("export-curl"));
        page.screenshot("3-captured");
    }

    @Test
    void anXmlAnswerIsATreeOfTheSamePathsCapturesRead() throws Exception {
        api.stubFor(get(urlPathEqualTo("/order.xml")).willReturn(aResponse().withHeader("Content-Type", "application/xml")
                .withBody("<order id=\"A-17\"><status>shipped</status><item sku=\"1\"/><item sku=\"2\"/></order>")));
        page.type("url", DemoApi.base(api) + "/order.xml");
        page.send();
        assertEquals("\"2\"", page.leaf("response.order.item[1].@sku").getText());
        page.leaf("response.order.@id").click();
        page.send();
        assertTrue(page.text("result-changes").contains("\"id\": \"A-17\""), page.text("result-changes"));
        page.screenshot("4-xml", By.id("result-response-box"));
    }

    @Test
    void bodiesComposedInThePageReachTheApi() throws Exception {
        api.stubFor(post(urlPathEqualTo("/upload")).willReturn(okJson("{}")));
        new org.openqa.selenium.support.ui.Select(page.field("method")).selectByVisibleText("POST");
        page.type("url", DemoApi.base(api) + "/upload");
        page.type("variables", "{\"subject\": \"Hi\", \"count\": 3}");
        page.choose("body-type", "multipart");
        page.field("add-field").click();
        WebElement field = page.driver.findElement(By.cssSelector("#body-fields .row[data-kind='field']"));
        field.findElement(By.cssSelector("[data-key='name']")).sendKeys("subject");
        field.findElement(By.cssSelector("[data-key='value']")).sendKeys("{subject}");
        page.field("add-file").click();
        WebElement file = page.driver.findElement(By.cssSelector("#body-fields .row[data-kind='file']"));
        file.findElement(By.cssSelector("[data-key='name']")).sendKeys("file");
        file.findElement(By.cssSelector("[data-key='content']")).sendKeys("aGVsbG8gZmlsZQ==");
        file.findElement(By.cssSelector("[data-key='filename']")).sendKeys("hello.txt");
        file.findElement(By.cssSelector("[data-key='contentType']")).sendKeys("text/plain");
        page.send();
        assertEquals("success", page.text("result-branch"), page.text("result"));
        String multipart = api.getAllServeEvents().get(0).getRequest().getBodyAsString();
        assertTrue(multipart.contains("name=\"subject\"") && multipart.contains("Hi"), multipart);
        assertTrue(multipart.contains("filename=\"hello.txt\"") && multipart.contains("hello file"), multipart);
        page.screenshot("11-multipart", By.id("body-fields"));

        page.choose("body-type", "json");
        page.type("body-json", "{\"n\": {count}, \"s\": \"{subject}\"}");
        page.send();
        api.verify(postRequestedFor(urlPathEqualTo("/upload")).withRequestBody(equalTo("{\"n\": 3, \"s\": \"Hi\"}")));
    }

    @Test
    void anImportedCurlCommandFillsTheFields() throws Exception {
        page.driver.findElement(By.cssSelector("#import-box > summary")).click();
        page.type("curl", "curl 'https://api.example.com/v1/customers?expand=all' -H 'X-Trace: t-1' -u sk_test_123: -d email={email}");
        page.awaitResultOf(() -> page.field("import").click());
        assertEquals("POST", page.value("method"));
        assertEquals("https://api.example.com/v1/customers?expand=all", page.value("url"));
        assertEquals(List.of("X-Trace", "t-1"), rowValues("headers"));
        assertEquals("form", page.value("body-type"));
        assertEquals(List.of("email", "{email}"), rowValues("body-fields"));
        assertEquals("basic", page.value("auth-type"));
        assertEquals("sk_test_123", page.value("auth-username"));
        assertTrue(page.field("auth-username").isDisplayed(), "the basic fields are shown");
        page.screenshot("5-imported");
    }

    @Test
    void aRefusedDestinationIsShownAsBlocked() throws Exception {
        page.type("url", "http://169.254.169.254/latest/meta-data/");
        page.send();
        assertEquals("failure", page.text("result-branch"));
        assertEquals("BLOCKED_DESTINATION", page.text("result-error-code"));
        page.screenshot("6-blocked");
    }

    @Test
    void secretsInTheStepAppearNowhereInTheShownResult() throws Exception {
        String token = "bearer-canary-7f3a91";
        String key = "apikey-canary-2c9e44";
        // APIs that echo what they were sent: the function masks the step's credentials in the response too.
        api.stubFor(get(urlPathEqualTo("/echo-token")).willReturn(okJson("{\"seen\": \"Bearer " + token + "\"}")));
        api.stubFor(get(urlPathEqualTo("/echo-key")).willReturn(okJson("{\"seen\": \"" + key + "\"}")));
        page.type("url", DemoApi.base(api) + "/echo-token");
        page.choose("auth-type", "bearer");
        page.type("auth-token", token);
        page.send();
        api.verify(getRequestedFor(urlPathEqualTo("/echo-token")).withHeader("Authorization", equalTo("Bearer " + token)));
        assertShownNowhere(token);

        page.type("url", DemoApi.base(api) + "/echo-key");
        page.choose("auth-type", "apiKey");
        page.type("auth-name", "X-Api-Key");
        page.type("auth-value", key);
        page.send();
        api.verify(getRequestedFor(urlPathEqualTo("/echo-key")).withHeader("X-Api-Key", equalTo(key)));
        assertShownNowhere(key);
        page.screenshot("7-secrets-masked");
    }

    private void assertShownNowhere(String secret) {
        assertTrue(page.text("result-request").contains("***"), "the request shows the credential masked");
        assertFalse(page.driver.getPageSource().contains(secret), "the page's DOM holds the secret");
        assertFalse(page.field("result").getDomProperty("textContent").contains(secret), "the result shows the secret");
        assertFalse(page.value("export-curl").contains(secret), "the exported cURL command holds the secret");
    }

    @Test
    void aHostileBodyIsShownAsTextAndRunsNothing() throws Exception {
        String hostile = "<img src=x onerror=\"window.pwned=1\"></script><script>window.pwned=2</script>";
        api.stubFor(get(urlPathEqualTo("/hostile.html")).willReturn(aResponse().withHeader("Content-Type", "text/html").withBody(hostile)));
        api.stubFor(get(urlPathEqualTo("/hostile.json")).willReturn(okJson("{\"<b>name</b>\": 1, \"note\": \""
                + hostile.replace("\"", "\\\"") + "\"}")));
        page.type("url", DemoApi.base(api) + "/hostile.html");
        page.send();
        assertEquals(hostile, page.driver.findElement(By.id("result-response-body")).getDomProperty("textContent"));
        page.type("url", DemoApi.base(api) + "/hostile.json");
        page.send();
        assertTrue(page.leaf("response.note").getText().contains("<img src=x"), "the value is shown as text");
        assertNull(page.driver.executeScript("return window.pwned === undefined ? null : window.pwned"), "no script of the body ran");
        assertEquals(List.of(), page.driver.findElements(By.cssSelector("img, script:not([src]), b")), "no element of the body was made");
        page.screenshot("8-hostile", By.id("result-response-box"));
    }

    @Test
    void theStepIsSentFromTheKeyboard() throws Exception {
        api.stubFor(get(urlPathEqualTo("/orders/A-17")).willReturn(okJson(ORDER)));
        page.type("url", DemoApi.base(api) + "/orders/A-17");
        WebElement focused = page.driver.switchTo().activeElement();
        for (int tab = 0; tab < 200 && !"send".equals(focused.getDomProperty("id")); tab++) {
            focused.sendKeys(Keys.TAB);
            focused = page.driver.switchTo().activeElement();
        }
        assertEquals("send", focused.getDomProperty("id"), "Tab reaches Send");
        assertFalse("none".equals(focused.getCssValue("outline-style")), "the focused button shows its focus");
        WebElement send = focused;
        page.screenshot("9-keyboard-focus");
        page.awaitResultOf(() -> send.sendKeys(Keys.ENTER));
        assertEquals("success", page.text("result-branch"));
    }

    @Test
    void theLastStepIsRestoredOnTheNextVisit() throws Exception {
        page.type("url", "https://api.example.com/orders/{order_id}");
        new org.openqa.selenium.support.ui.Select(page.field("method")).selectByVisibleText("DELETE");
        page.field("add-header").click();
        page.driver.findElement(By.cssSelector("#headers [data-key='name']")).sendKeys("X-Trace");
        page = new WorkbenchPage(page.driver, function.url());
        assertEquals("https://api.example.com/orders/{order_id}", page.value("url"));
        assertEquals("DELETE", page.value("method"));
        assertEquals(List.of("X-Trace", ""), rowValues("headers"));
    }

    /** A tool's fields the panel does not show (parameters, maxResultChars, a delayed message) survive a visit. */
    @Test
    void aRestoredToolKeepsWhatThePanelDoesNotShow() throws Exception {
        page.driver.executeScript("localStorage.setItem('api-step-workbench', JSON.stringify({variables: '{}', step: {"
                + "request: {method: 'GET', url: 'https://api.example.com/orders/{order_id}'}, tool: {name: 'get_order',"
                + " description: 'Look up an order.', maxResultChars: 900, parameters: {type: 'object', properties:"
                + " {order_id: {type: 'string', pattern: '^A-[0-9]+$'}}, required: ['order_id']},"
                + " messages: {start: 'One moment.', delayed: {afterMs: 1500, text: 'Still looking.'}}}}}))");
        page = new WorkbenchPage(page.driver, function.url());
        assertEquals("get_order", page.value("tool-name"));
        page.type("tool-description", "Look up an order by its number.");
        JsonNode tool = dev.apistep.core.LosslessJson.newMapper().readTree(page.value("export-event")).at("/step/tool");
        assertEquals("Look up an order by its number.", tool.get("description").asText(), tool.toString());
        assertEquals(900, tool.get("maxResultChars").intValue(), tool.toString());
        assertEquals("^A-[0-9]+$", tool.at("/parameters/properties/order_id/pattern").asText(), tool.toString());
        assertEquals(1500, tool.at("/messages/delayed/afterMs").intValue(), tool.toString());
        assertEquals("One moment.", tool.at("/messages/start").asText(), tool.toString());
    }

    @Test
    void aNarrowWindowScrollsOnlyDownwards() throws Exception {
        api.stubFor(get(urlPathEqualTo("/orders/A-17")).willReturn(okJson(ORDER)));
        page.driver.manage().window().setSize(new Dimension(400, 800));
        page.type("url", DemoApi.base(api) + "/orders/A-17?with=a-rather-long-query-string-that-could-push-the-page-sideways");
        page.send();
        page.leaf("response.order.items[0].sku").click();
        Number overflow = (Number) page.driver.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertEquals(0L, overflow.longValue(), "the body scrolls sideways");
        page.screenshot("10-narrow", By.id("response-tree"));
    }

    /**
     * The step made a tool in the Tool panel: its name, description, result template and a spoken line; the schema
     * the function derives lists the templates' variables less the bound one; a call as a model would reaches the API.
     */
    @Test
    void aToolCalledAsAModelWouldAnswersFromTheApi() throws Exception {
        api.stubFor(get(urlPathEqualTo("/orders/A-17")).willReturn(okJson(ORDER)));
        composeOrderTool();
        page.field("tool-derive").click();
        page.waitUntil("the derived schema", () -> !page.driver.findElements(By.cssSelector("#tool-parameters li")).isEmpty());
        assertEquals(List.of("channel", "order_id"), page.driver.findElements(By.cssSelector("#tool-parameters li")).stream()
                .map(item -> item.getDomAttribute("data-parameter")).sorted().toList(), "the templates' variables, agent_id bound");
        assertTrue(page.text("tool-parameters").contains("order_id string, required"), page.text("tool-parameters"));
        String schema = page.field("tool-schema").getDomProperty("textContent");
        assertTrue(schema.contains("\"additionalProperties\": false") && !schema.contains("agent_id"), schema);
        assertEquals(List.of(), api.getAllServeEvents(), "deriving the schema sends nothing");

        page.type("tool-arguments", "{\"order_id\": \"A-17\", \"channel\": \"voice\"}");
        page.callAsAModel();
        assertEquals("Order A-17 is shipped.", page.text("tool-answer"));
        assertEquals("is_error: false", page.text("tool-answer-state"));
        assertTrue(page.text("tool-messages").contains("Looking up A-17"), page.text("tool-messages"));
        api.verify(1, getRequestedFor(urlPathEqualTo("/orders/A-17")).withQueryParam("channel", equalTo("voice"))
                .withHeader("X-Agent", equalTo("ag-9")));
        assertEquals("tool call", page.text("result-mode"), "the full result beside the answer");
        assertEquals("success", page.text("result-branch"));
        assertTrue(page.text("result-changes").contains("\"order_status\": \"shipped\""), page.text("result-changes"));
        assertTrue(page.value("export-event").contains("\"name\": \"get_order_status\""), "the export carries step.tool");
        page.screenshot("12-tool-call", By.id("tool-derive"));
    }

    /** Arguments a model might get wrong: not JSON (nothing sent at all), or against the schema (refused, nothing sent). */
    @Test
    void argumentsThatBreakTheSchemaReachNoApi() throws Exception {
        api.stubFor(get(urlPathEqualTo("/orders/A-17")).willReturn(okJson(ORDER)));
        composeOrderTool();
        page.type("tool-arguments", "{\"order_id\": ");
        page.field("tool-call").click();
        page.waitUntil("the page says why", () -> page.text("tool-message").startsWith("Arguments: not JSON"));
        assertFalse(page.field("tool-answer-box").isDisplayed(), "nothing was sent, so nothing answered");

        page.type("tool-arguments", "{\"order_id\": \"A-17\", \"discount\": 100}");
        page.callAsAModel();
        assertTrue(page.text("tool-answer").startsWith("Error INVALID_ARGUMENTS"), page.text("tool-answer"));
        assertEquals("is_error: true", page.text("tool-answer-state"));
        assertFalse(page.field("result").isDisplayed(), "no step ran, so no full result");
        page.screenshot("13-tool-invalid-arguments", By.id("tool-arguments"));

        page.type("tool-arguments", "{\"channel\": \"voice\"}");
        page.callAsAModel();
        assertTrue(page.text("tool-answer").startsWith("Error INVALID_ARGUMENTS"), page.text("tool-answer"));
        assertEquals(List.of(), api.getAllServeEvents(), "refused arguments reach no API");
    }

    /** An order lookup as a tool: order_id and channel for the model to fill in, agent_id bound by the runtime. */
    private void composeOrderTool() {
        page.type("url", DemoApi.base(api) + "/orders/{order_id}");
        page.type("variables", "{\"agent_id\": \"ag-9\"}");
        page.field("add-query").click();
        page.driver.findElement(By.cssSelector("#query [data-key='name']")).sendKeys("channel");
        page.driver.findElement(By.cssSelector("#query [data-key='value']")).sendKeys("{channel}");
        page.field("add-header").click();
        page.driver.findElement(By.cssSelector("#headers [data-key='name']")).sendKeys("X-Agent");
        page.driver.findElement(By.cssSelector("#headers [data-key='value']")).sendKeys("{agent_id}");
        page.field("add-capture").click();
        page.driver.findElement(By.cssSelector("#captures [data-key='variable']")).sendKeys("order_status");
        page.driver.findElement(By.cssSelector("#captures [data-key='path']")).sendKeys("response.order.status");
        page.type("tool-name", "get_order_status");
        page.type("tool-description", "The status of one order, by its id.");
        page.type("tool-result", "Order {order_id} is {order_status}.");
        page.driver.findElement(By.cssSelector("#tool-say-start")).findElement(By.xpath("ancestor::details/summary")).click();
        page.type("tool-say-start", "Looking up {order_id}.");
    }

    @Test
    void thePageIsServedWithHeadersThatKeepItsOwnScriptsOnly() throws Exception {
        HttpResponse<String> index = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(function.url() + "workbench/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, index.statusCode());
        String policy = index.headers().firstValue("Content-Security-Policy").orElse("");
        for (String directive : List.of("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")) {
            assertTrue(policy.contains(directive), policy);
        }
        assertFalse(policy.contains("unsafe-inline"), policy);
        assertEquals("nosniff", index.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-referrer", index.headers().firstValue("Referrer-Policy").orElse(""));
        assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)|\\sstyle=|\\son[a-z]+=").matcher(index.body()).find(),
                "the page has no inline script, style or handler (the policy would refuse them)");
    }

    private List<String> rowValues(String rows) {
        return page.driver.findElements(By.cssSelector("#" + rows + " .row [data-key]")).stream()
                .map(input -> input.getDomProperty("value")).toList();
    }
}
