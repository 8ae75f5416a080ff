package dev.apistep.lambda.state;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.apistep.core.StoreUnavailableException;
import dev.apistep.state.SharedStore;
import dev.apistep.support.DemoApi;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.StepEvents;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Contract §6 through the function, on the store its subclass' profile chooses: idempotent delivery (the
 * event's key, a webhook's id, an SQS message id), recent runs and rate limits.
 */
abstract class SharedStateContract {

    @Inject
    SharedStore store;

    static final String LONG_BODY = "x".repeat(6000);

    @RegisterExtension
    static final WireMockExtension api = DemoApi.server();

    @BeforeEach
    void script() {
        api.resetAll();
        api.stubFor(any(anyUrl()).willReturn(okJson("{\"id\": 7}")));
        api.stubFor(get(urlPathEqualTo("/busy")).willReturn(aResponse().withStatus(503)));
        api.stubFor(get(urlPathEqualTo("/long")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withHeader("Set-Cookie", "session=s3cr3t-cookie")
                .withBody("token=t0k3n-in-body " + LONG_BODY)));
    }

    static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static StepEvents post(String tenant) {
        StepEvents step = StepEvents.step("POST", DemoApi.base(api) + "/tickets");
        step.json().putObject("context").put("tenantId", tenant);
        step.capture("[{\"variable\": \"ticket\", \"path\": \"response.id\"}]");
        return step;
    }

    static int sent() {
        return api.findAll(anyRequestedFor(anyUrl())).size();
    }

    static List<String> warnings(JsonNode result) {
        return LambdaEvents.JSON.convertValue(result.get("warnings"),
                LambdaEvents.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    /** Freezes or thaws the profile's store (a server stopped with SIGSTOP: connections open, nothing answered). */
    interface StoreSignal {
        void send() throws Exception;
    }

    /**
     * A plain step and a keyed event while the store is frozen: the limits fail open (the step runs, with a
     * warning), the keyed event fails closed (IN_PROGRESS) and never reaches the API. The plain step's result.
     */
    static JsonNode postedWhileFrozen(StoreSignal freeze, StoreSignal thaw) throws Exception {
        String tenant = fresh("acme");
        JsonNode plain;
        JsonNode keyedResult;
        freeze.send();
        try {
            plain = post(tenant).invoke();
            StepEvents keyed = post(tenant);
            keyed.json().put("idempotencyKey", fresh("key"));
            keyedResult = keyed.invoke();
        } finally {
            thaw.send();
        }
        assertEquals("success", plain.get("branch").asText(), plain.toString());
        assertTrue(warnings(plain).contains(StoreUnavailableException.warning("the rate limits")), plain.toString());
        assertEquals("IN_PROGRESS", keyedResult.get("error").get("code").asText(), keyedResult.toString());
        assertEquals(1, sent());
        return plain;
    }

    @Test
    void anEventWithAKeyRunsOnceAndItsResultIsReplayed() {
        String tenant = fresh("acme");
        String key = fresh("key");
        StepEvents first = post(tenant);
        first.json().put("idempotencyKey", key);
        JsonNode ran = first.invoke();
        assertEquals("success", ran.get("branch").asText(), ran.toString());
        assertFalse(ran.has("replayed"), ran.toString());

        JsonNode again = first.invoke();
        assertTrue(again.get("replayed").asBoolean(), again.toString());
        assertEquals(ran.get("variables"), again.get("variables"));
        assertEquals(ran.get("changes"), again.get("changes"));
        assertEquals(7, again.get("changes").get("ticket").intValue());
        assertEquals(1, sent(), "nothing is sent again");

        StepEvents otherTenant = post(fresh("globex"));
        otherTenant.json().put("idempotencyKey", key);
        assertFalse(otherTenant.invoke().has("replayed"), "keys are scoped by tenant");
        assertEquals(2, sent());
    }

    /** The store's own key of an idempotency key (as the function scopes it by tenant). */
    static String scoped(String tenant, String key) {
        return tenant.length() + ":" + tenant + ":" + key;
    }

    /** The idempotency record of {@code scopedKey} as the store holds it, read from the store itself. */
    abstract String atRest(String scopedKey) throws Exception;

    /**
     * The stored record of {@code key} less the item's own key, whose random tenant and key could hold a value looked
     * for by chance (a UUID's "…-4aac-986e-…" holds "c-9"); null when there is none.
     */
    private String keptRecord(String tenant, String key) throws Exception {
        String stored = atRest(scoped(tenant, key));
        return stored == null ? null : stored.replace(scoped(tenant, key), "").replace(tenant, "").replace(key, "");
    }

    @Test
    void aKeptResultHoldsNoVariableNorSecretAndIsReplayedOnTheRedeliveredVariables() throws Exception {
        String tenant = fresh("acme");
        String key = fresh("key");
        // The API echoes the step's credentials (as debug endpoints do), and the step captures that.
        api.stubFor(WireMock.post(urlPathEqualTo("/orders/A-17/notes")).willReturn(okJson("{\"order\": {\"status\": "
                + "\"open\", \"items\": [{\"sku\": \"S-1\"}]}, \"seen\": {\"authorization\": \"Bearer t0k3n\", "
                + "\"api_key\": \"q-s3cr3t\"}}")));
        ObjectNode event = LambdaEvents.fixture("contract-example", Map.of("base", DemoApi.base(api)));
        event.with("context").put("tenantId", tenant);
        event.put("idempotencyKey", key);
        ((ArrayNode) event.at("/step/request/query")).addObject().put("name", "api_key").put("value", "{query_key}");
        ((ArrayNode) event.at("/step/capture")).addObject().put("variable", "seen").put("path", "response.seen");
        ObjectNode variables = event.with("variables").put("query_key", "q-s3cr3t");
        JsonNode ran = LambdaEvents.invoke(event);
        assertEquals("success", ran.get("branch").asText(), ran.toString());
        assertEquals("Bearer t0k3n", ran.at("/changes/seen/authorization").asText(), "the caller gets what it captured");

        String stored = keptRecord(tenant, key);
        assertTrue(stored != null && stored.contains("\"order_status\":\"open\""), "the step's record: " + stored);
        for (String secret : List.of("t0k3n", "q-s3cr3t")) {
            assertFalse(stored.contains(secret), secret + " is not kept: " + stored);
        }
        variables.fields().forEachRemaining(variable -> {
            assertFalse(stored.contains("\"" + variable.getKey() + "\""), "no variable is kept: " + stored);
            if (variable.getValue().isTextual()) {
                assertFalse(stored.contains(variable.getValue().toString()), "no variable's value is kept: " + stored);
            }
        });
        for (String value : List.of("A-17", "c-9", "Paulo", "He said")) {
            assertFalse(stored.contains(value), value + " is not kept: " + stored);
        }

        variables.put("note", "a later note");
        JsonNode replayed = LambdaEvents.invoke(event);
        assertTrue(replayed.path("replayed").asBoolean(), replayed.toString());
        assertEquals(1, sent(), "nothing is sent again");
        ObjectNode expected = variables.deepCopy();
        expected.setAll((ObjectNode) replayed.get("changes"));
        assertEquals(expected, replayed.get("variables"), "the redelivered event's variables with the kept changes");
        assertEquals("t0k3n", replayed.at("/variables/api_token").asText());
        assertFalse(replayed.get("changes").has("seen"), "a change that echoed a secret is not replayed");
        assertFalse(replayed.get("variables").has("seen"), "it is left as the redelivered event has it");
        List<String> expectedWarnings = new java.util.ArrayList<>(warnings(ran));
        expectedWarnings.add(withheld("seen"));
        assertEquals(expectedWarnings, warnings(replayed));
        for (String same : List.of("/branch", "/status", "/error", "/tags", "/attempts", "/changes/order_status",
                "/changes/first_item", "/changes/http_status")) {
            assertEquals(ran.at(same), replayed.at(same), same);
        }
    }

    /** The warning of a replay that left {@code variables} as the redelivered event has them. */
    static String withheld(String variables) {
        return "changes of " + variables + " not replayed: they held a secret of the step";
    }

    /**
     * Runs {@code first} (its key fresh) and delivers it again with {@code redelivered} as its variables: the two
     * results and the record the store kept in between.
     */
    record KeptRun(JsonNode ran, String stored, JsonNode replayed) {
    }

    KeptRun runKeptAndReplayed(StepEvents first, String tenant, String redelivered) throws Exception {
        String key = fresh("key");
        first.json().putObject("context").put("tenantId", tenant);
        first.json().put("idempotencyKey", key);
        JsonNode ran = first.invoke();
        assertEquals("success", ran.get("branch").asText(), ran.toString());
        String stored = keptRecord(tenant, key);
        JsonNode replayed = first.variables(redelivered).invoke();
        assertTrue(replayed.path("replayed").asBoolean(), replayed.toString());
        assertEquals(1, sent(), "nothing is sent again");
        return new KeptRun(ran, stored, replayed);
    }

    /**
     * Review (a): a capture that merely contains a secret's digits (Basic password {@code 1234} in
     * {@code "A-12345"}) was kept masked and replayed as {@code "A-***5"}, overwriting the conversation's
     * variable with wrong data. It is not kept: the replay leaves the variable as the redelivered event has it and
     * says so; the step's other captures are replayed exactly as captured.
     */
    @Test
    void aCaptureHoldingThePasswordsDigitsIsNotReplayedAsMaskedData() throws Exception {
        api.stubFor(WireMock.post(urlPathEqualTo("/orders")).willReturn(okJson(
                "{\"order_ref\": \"A-12345\", \"id\": 7, \"code\": \"12-34\", \"digits\": 1243}")));
        StepEvents first = StepEvents.step("POST", DemoApi.base(api) + "/orders")
                .stepField("auth", "{\"type\": \"basic\", \"username\": \"ada\", \"password\": \"1234\"}")
                .capture("[{\"variable\": \"order_ref\", \"path\": \"response.order_ref\"}, {\"variable\": "
                        + "\"ticket\", \"path\": \"response.id\"}, {\"variable\": \"code\", \"path\": \"response.code\"},"
                        + " {\"variable\": \"digits\", \"path\": \"response.digits\"}]")
                .variable("order_ref", "A-1");
        KeptRun run = runKeptAndReplayed(first, fresh("acme"), "{\"order_ref\": \"A-1\", \"note\": \"hi\"}");
        assertEquals("A-12345", run.ran().at("/changes/order_ref").asText(), "the caller gets what it captured");

        assertFalse(run.stored().contains("A-12345") || run.stored().contains("***"), run.stored());
        assertTrue(run.stored().contains("\"withheld\":[\"order_ref\"]"), run.stored());

        JsonNode replayed = run.replayed();
        assertEquals(LambdaEvents.read("{\"ticket\": 7, \"code\": \"12-34\", \"digits\": 1243}"),
                replayed.get("changes"), "the other captures, exactly");
        assertEquals(LambdaEvents.read("{\"order_ref\": \"A-1\", \"note\": \"hi\", \"ticket\": 7, "
                + "\"code\": \"12-34\", \"digits\": 1243}"), replayed.get("variables"));
        assertTrue(warnings(replayed).contains(withheld("order_ref")), replayed.toString());
    }

    /**
     * Review (b): an echoed key captured as a JSON number (as written or in exponent notation), inside text, or
     * nested in an object or array was kept unmasked when it was not text. Such a change is not kept and not
     * replayed.
     */
    @Test
    void aCaptureEchoingTheKeyAsTextNumberOrNestedIsNeitherKeptNorReplayed() throws Exception {
        api.stubFor(WireMock.get(urlPathEqualTo("/echo")).willReturn(okJson("{\"args\": {\"k\": 12345678}, "
                + "\"exponent\": 1.2345678E7, \"text\": \"key 12345678 seen\", \"nested\": {\"headers\": "
                + "[{\"count\": 1}, {\"x-key\": 12345678}]}, \"named\": {\"12345678\": true}, \"id\": 7}")));
        StepEvents first = StepEvents.step("GET", DemoApi.base(api) + "/echo")
                .stepField("auth", "{\"type\": \"apiKey\", \"in\": \"header\", \"name\": \"X-Key\", "
                        + "\"value\": \"12345678\"}")
                .capture("[{\"variable\": \"as_number\", \"path\": \"response.args.k\"}, {\"variable\": "
                        + "\"as_exponent\", \"path\": \"response.exponent\"}, {\"variable\": \"as_text\", \"path\": "
                        + "\"response.text\"}, {\"variable\": \"nested\", \"path\": \"response.nested\"}, "
                        + "{\"variable\": \"named\", \"path\": \"response.named\"}, {\"variable\": \"ticket\", "
                        + "\"path\": \"response.id\"}]");
        KeptRun run = runKeptAndReplayed(first, fresh("acme"), "{\"as_number\": \"before\"}");
        assertEquals(12345678, run.ran().at("/changes/as_number").intValue(), "the caller gets what it captured");
        assertEquals(12345678, run.ran().at("/changes/nested/headers/1/x-key").intValue());

        for (String form : List.of("12345678", "2345678")) {
            assertFalse(run.stored().contains(form), form + " is not kept: " + run.stored());
        }
        assertTrue(run.stored().contains("\"withheld\":[\"as_number\",\"as_exponent\",\"as_text\",\"nested\","
                + "\"named\"]"), run.stored());

        JsonNode replayed = run.replayed();
        assertEquals(LambdaEvents.read("{\"ticket\": 7}"), replayed.get("changes"));
        assertEquals(LambdaEvents.read("{\"as_number\": \"before\", \"ticket\": 7}"), replayed.get("variables"),
                "the withheld variables are as the redelivered event has them");
        assertTrue(warnings(replayed).contains(withheld("as_number, as_exponent, as_text, nested, named")),
                replayed.toString());
    }

    @Test
    void anEntryKeptBeforeChangesWereWithheldIsStillReplayed() {
        String tenant = fresh("acme");
        String key = fresh("key");
        String token = fresh("previous-run");
        assertEquals(SharedStore.Claim.Found.NOTHING,
                store.claim(scoped(tenant, key), token, Duration.ofSeconds(30), 5_000).found());
        store.complete(scoped(tenant, key), token, "{\"branch\": \"success\", \"changes\": {\"ticket\": 7, "
                + "\"seen\": \"***\"}, \"status\": 201, \"warnings\": [\"w\"], \"tags\": [\"t\"], \"attempts\": 1, "
                + "\"durationMs\": 12}", Duration.ofMinutes(5), 5_000);

        StepEvents redelivered = post(tenant).variable("note", "hi");
        redelivered.json().put("idempotencyKey", key);
        JsonNode replayed = redelivered.invoke();
        assertTrue(replayed.path("replayed").asBoolean(), replayed.toString());
        assertEquals(LambdaEvents.read("{\"ticket\": 7, \"seen\": \"***\"}"), replayed.get("changes"));
        assertEquals(LambdaEvents.read("{\"note\": \"hi\", \"ticket\": 7, \"seen\": \"***\"}"),
                replayed.get("variables"));
        assertEquals(List.of("w"), warnings(replayed));
        assertEquals(201, replayed.get("status").intValue());
        assertEquals(0, sent(), "the entry was replayed, nothing sent");
    }

    @Test
    void anEntryKeptByThePreviousVersionWithTheVariablesIsStillReplayed() {
        String tenant = fresh("acme");
        StepEvents first = post(tenant).variable("api_token", "t0k3n").variable("note", "hi");
        first.json().put("idempotencyKey", fresh("key"));
        JsonNode ran = first.invoke();
        assertEquals("success", ran.get("branch").asText(), ran.toString());
        // What the previous version kept: the whole result as the caller got it, variables included.
        String key = fresh("key");
        String token = fresh("previous-run");
        assertEquals(SharedStore.Claim.Found.NOTHING,
                store.claim(scoped(tenant, key), token, Duration.ofSeconds(30), 5_000).found());
        store.complete(scoped(tenant, key), token, ran.toString(), Duration.ofMinutes(5), 5_000);

        StepEvents redelivered = post(tenant).variable("api_token", "t0k3n").variable("note", "hi");
        redelivered.json().put("idempotencyKey", key);
        JsonNode replayed = redelivered.invoke();
        assertTrue(replayed.path("replayed").asBoolean(), replayed.toString());
        assertEquals(ran.get("variables"), replayed.get("variables"));
        assertEquals(ran.get("changes"), replayed.get("changes"));
        assertEquals(ran.get("status"), replayed.get("status"));
        assertEquals(1, sent(), "the old entry was replayed, nothing sent");
    }

    @Test
    void aRetryableOutcomeIsNotKeptSoTheRedeliveryRunsAgain() {
        StepEvents busy = StepEvents.step("GET", DemoApi.base(api) + "/busy");
        busy.json().putObject("context").put("tenantId", fresh("acme"));
        busy.json().put("idempotencyKey", fresh("key"));
        assertEquals("HTTP_STATUS", busy.invoke().get("error").get("code").asText());
        JsonNode again = busy.invoke();
        assertFalse(again.has("replayed"), again.toString());
        assertEquals(2, sent());
    }

    @Test
    void anSqsMessageDeliveredTwiceRunsOnce() {
        String messageId = fresh("m");
        String body = post(fresh("acme")).json().toString();
        ObjectNode batch = LambdaEvents.JSON.createObjectNode();
        batch.putArray("Records").addObject().put("messageId", messageId).put("eventSource", "aws:sqs").put("body", body);
        assertEquals("{\"batchItemFailures\":[]}", LambdaEvents.invoke(batch).toString());
        assertEquals("{\"batchItemFailures\":[]}", LambdaEvents.invoke(batch).toString());
        assertEquals(1, sent(), "the redelivered message was answered from the store");
    }

    @Test
    void aWebhookDeliveredTwiceRunsOnceAndTheEventsOwnKeyWins() {
        String webhookId = fresh("msg");
        String body = post(fresh("acme")).json().toString();
        JsonNode first = LambdaEvents.invoke(functionUrl(body, webhookId));
        JsonNode second = LambdaEvents.invoke(functionUrl(body, webhookId));
        JsonNode firstResult = LambdaEvents.read(first.get("body").asText());
        assertEquals("success", firstResult.get("branch").asText(), firstResult.toString());
        assertFalse(firstResult.has("replayed"));
        assertTrue(LambdaEvents.read(second.get("body").asText()).path("replayed").asBoolean(), second.toString());
        assertEquals(1, sent());

        StepEvents keyed = post(fresh("acme"));
        keyed.json().put("idempotencyKey", fresh("own"));
        LambdaEvents.invoke(functionUrl(keyed.json().toString(), webhookId));
        assertEquals(2, sent(), "the event's idempotencyKey is the key, not the webhook-id");
    }

    private static ObjectNode functionUrl(String body, String webhookId) {
        ObjectNode request = LambdaEvents.JSON.createObjectNode().put("version", "2.0").put("routeKey", "$default")
                .put("rawPath", "/").put("rawQueryString", "").put("isBase64Encoded", false).put("body", body);
        request.putObject("headers").put("content-type", "application/json").put("webhook-id", webhookId);
        request.putObject("requestContext").put("requestId", "r-1").putObject("http").put("method", "POST").put("path", "/");
        return request;
    }

    @Test
    void testAndRenderModesIgnoreTheKey() {
        StepEvents step = post(fresh("acme"));
        step.json().put("idempotencyKey", fresh("key"));
        step.mode("test");
        step.invoke();
        assertFalse(step.invoke().has("replayed"));
        assertEquals(2, sent());
    }

    @Test
    void recentRunsAreListedNewestFirstMaskedAndBounded() {
        String tenant = fresh("acme");
        String stepId = fresh("lookup");
        for (int n = 0; n < 3; n++) {
            StepEvents step = StepEvents.step("GET", DemoApi.base(api) + "/long?n=" + n + "&api_key={key}");
            ((ObjectNode) step.json().get("step")).put("id", stepId);
            ((ObjectNode) step.json().get("step")).set("auth", LambdaEvents.read("{\"type\": \"bearer\", \"token\": \"{token}\"}"));
            step.variable("token", "t0k3n-in-body").variable("key", "k3y-value");
            step.json().putObject("context").put("tenantId", tenant);
            assertEquals("success", step.invoke().get("branch").asText());
        }
        int before = sent();
        JsonNode listed = history(tenant, stepId);
        assertEquals(before, sent(), "history sends nothing");
        assertEquals("success", listed.get("branch").asText(), listed.toString());
        ArrayNode runs = (ArrayNode) listed.get("runs");
        assertEquals(3, runs.size(), listed.toString());
        assertTrue(runs.get(0).get("request").get("url").asText().contains("n=2"), runs.get(0).toString());
        assertTrue(runs.get(2).get("request").get("url").asText().contains("n=0"));
        JsonNode newest = runs.get(0);
        assertEquals("GET", newest.get("request").get("method").asText());
        assertEquals(200, newest.get("response").get("status").intValue());
        assertTrue(newest.get("response").get("body").asText().getBytes(StandardCharsets.UTF_8).length <= 4096);
        assertTrue(newest.get("response").get("bodyTruncated").asBoolean());
        String text = listed.toString();
        assertFalse(text.contains("t0k3n-in-body"), "the token is masked wherever it appears: " + text);
        assertFalse(text.contains("k3y-value"), "a key-named query parameter is masked");
        assertFalse(text.contains("s3cr3t-cookie"), "Set-Cookie is masked");
        assertTrue(text.contains("***"));

        assertEquals(0, history(fresh("other"), stepId).get("runs").size(), "runs are per tenant");
    }

    @Test
    void onlyTheLast20RunsAreKept() {
        String tenant = fresh("acme");
        String stepId = fresh("many");
        for (int n = 0; n < 22; n++) {
            StepEvents step = StepEvents.step("GET", DemoApi.base(api) + "/x?n=" + n);
            ((ObjectNode) step.json().get("step")).put("id", stepId);
            step.json().putObject("context").put("tenantId", tenant);
            step.invoke();
        }
        ArrayNode runs = (ArrayNode) history(tenant, stepId).get("runs");
        assertEquals(20, runs.size());
        assertTrue(runs.get(0).get("request").get("url").asText().endsWith("n=21"));
        assertTrue(runs.get(19).get("request").get("url").asText().endsWith("n=2"));
    }

    @Test
    void historyNeedsAStepId() {
        JsonNode refused = LambdaEvents.invokeRaw("{\"mode\": \"history\", \"step\": {}}");
        assertEquals("INVALID_STEP", refused.get("error").get("code").asText(), refused.toString());
        assertEquals("step.id", refused.get("error").get("reason").asText());
    }

    static JsonNode history(String tenant, String stepId) {
        return LambdaEvents.invokeRaw("{\"mode\": \"history\", \"step\": {\"id\": \"" + stepId
                + "\"}, \"context\": {\"tenantId\": \"" + tenant + "\"}}");
    }

    @Test
    void aTenantsAllowanceIsCountedInTheStore() {
        String tenant = fresh("chatty");
        for (int i = 0; i < StateProfiles.PER_TENANT; i++) {
            assertEquals("success", post(tenant).invoke().get("branch").asText());
        }
        JsonNode limited = post(tenant).invoke();
        assertEquals("RATE_LIMITED", limited.get("error").get("code").asText(), limited.toString());
        assertEquals(StateProfiles.PER_TENANT, sent());
    }
}
