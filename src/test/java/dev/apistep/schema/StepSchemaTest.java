package dev.apistep.schema;

import static dev.apistep.schema.SchemaChecks.EVENT;
import static dev.apistep.schema.SchemaChecks.RESULT;
import static dev.apistep.schema.SchemaChecks.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.step.Auth;
import dev.apistep.step.BodyType;
import dev.apistep.step.FileTemplate;
import dev.apistep.step.Mode;
import dev.apistep.step.OnError;
import dev.apistep.step.UnresolvedPolicy;
import dev.apistep.support.DemoServer;
import dev.apistep.support.JsonReferences;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published schemas stay true: every event fixture and documented example is valid, wrong events fail at the
 * field the function names, every feature's event is valid and accepted, and what the function answers is valid
 * for the result schema. Events run through the function's real stages (no Quarkus) against a loopback API.
 */
class StepSchemaTest {

    private static DemoServer api;
    private static PlainPipeline pipeline;

    @BeforeAll
    static void start() throws IOException {
        api = new DemoServer();
        pipeline = new PlainPipeline();
    }

    @AfterAll
    static void stop() {
        pipeline.close();
        api.close();
    }

    private static JsonNode event(String json) {
        try {
            return PlainPipeline.JSON.readTree(json.replace("${base}", api.base()).replace('\'', '"'));
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    @Test
    void bothSchemasAreDraft2020_12Files() throws IOException {
        for (Path file : List.of(StepSchemas.EVENT, StepSchemas.RESULT)) {
            assertTrue(Files.isRegularFile(file), file + " is missing");
            JsonNode schema = PlainPipeline.JSON.readTree(Files.readString(file));
            assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").asText(), file.toString());
        }
    }

    static Stream<Path> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src", "test", "resources", "events"))) {
            List<Path> list = files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
            assertFalse(list.isEmpty());
            return list.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyEventFixtureIsValidInEveryModeAndSoIsWhatTheFunctionAnswers(Path fixture) throws IOException {
        ObjectNode event = (ObjectNode) PlainPipeline.JSON.readTree(
                Files.readString(fixture, StandardCharsets.UTF_8).replace("${base}", api.base()));
        assertEquals(List.of(), StepSchemas.errorFields(EVENT, event), fixture + StepSchemas.describe(EVENT, event));
        runChecked(pipeline, event);
        if (!"import".equals(event.path("mode").asText())) {
            for (String mode : List.of("run", "test", "render")) {
                runChecked(pipeline, event.deepCopy().put("mode", mode));
            }
        }
    }

    @Test
    void theReadmesEventExampleIsValid() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("### Event");
        int start = readme.indexOf("```json", section) + "```json".length();
        String example = readme.substring(start, readme.indexOf("```", start));
        JsonNode event = PlainPipeline.JSON.readTree(example);
        assertEquals("get-order", event.at("/step/id").asText(), "the README's first event example");
        assertEquals(List.of(), StepSchemas.errorFields(EVENT, event), StepSchemas.describe(EVENT, event));
    }

    @Test
    void theContractsExampleWithItsTlsIsValid() {
        JsonNode event = event("""
                {"mode": "run", "step": {"id": "get-order",
                  "request": {"method": "POST", "url": "https://api.shop.example/orders/{order_id}/notes?lang={{lang}}",
                    "headers": [{"name": "X-Trace", "value": "{conversation_id}"}], "query": [{"name": "q", "value": "{city}"}],
                    "body": {"type": "json", "content": "{\\"note\\": \\"{note}\\", \\"count\\": {count}}"}},
                  "auth": {"type": "bearer", "token": "{api_token}"},
                  "tls": {"clientCertificate": "-----BEGIN CERTIFICATE-----...", "clientKey": "-----BEGIN PRIVATE KEY-----...",
                          "caCertificates": "-----BEGIN CERTIFICATE-----..."},
                  "capture": [{"variable": "order_status", "path": "response.order.status"},
                              {"variable": "first_item", "path": "$.order.items[0].sku", "default": null},
                              {"variable": "http_status", "path": "status"}],
                  "options": {"timeoutMs": 10000, "followRedirects": true, "retry": {"maxAttempts": 3}},
                  "tags": {"success": ["crm_updated"], "failure": ["crm_down"]}},
                 "variables": {"order_id": "A-17", "count": 3, "api_token": "t0k3n"},
                 "context": {"tenantId": "acme", "conversationId": "c-9"}}
                """);
        assertEquals(List.of(), StepSchemas.errorFields(EVENT, event), StepSchemas.describe(EVENT, event));
    }

    /** Events that use every field the parser reads, each valid, each accepted by the function. */
    static Stream<String> validEvents() {
        return Stream.of(
                "{'step': {'request': {'url': '${base}/orders/1'}}}",
                "{'mode': null, 'step': {'id': 7, 'request': {'method': ' post ', 'url': '${base}/orders/1/notes',"
                        + " 'headers': {'X-A': 'a', 'X-Many': ['1', 2, true], 'X-Null': null},"
                        + " 'query': {'q': 'x', 'n': 3}, 'body': {'content': {'note': '{n}'}}}},"
                        + " 'variables': {'n': 1}, 'context': null, 'callback': null}",
                "{'mode': 'TEST', 'step': {'request': {'method': 'PUT', 'url': '${base}/orders/1',"
                        + " 'headers': [{'name': 'X-A', 'value': 1}, {'name': '', 'value': null}, {'value': 'nameless'}],"
                        + " 'query': [{'name': 'q', 'value': false}],"
                        + " 'body': {'type': 'form', 'fields': [{'name': 'a', 'value': '1'}, {'name': 'b', 'value': 2}]}}}}",
                "{'mode': 'render', 'step': {'request': {'method': 'POST', 'url': '${base}/orders/1/notes',"
                        + " 'body': {'fields': {'a': '1', 'b': [1, 2]}}}}}",
                "{'mode': 'render', 'step': {'request': {'method': 'POST', 'url': '${base}/upload',"
                        + " 'body': {'type': 'multipart', 'fields': [{'name': 'note', 'value': 'hi'},"
                        + " {'name': 'meta', 'value': '{}', 'contentType': 'application/json'}, {'name': 'n', 'value': 1, 'contentType': null},"
                        + " {'name': 'photo', 'file': {'content': 'aGk=', 'filename': 'p.jpg', 'contentType': 'image/jpeg'}},"
                        + " {'name': 'text', 'file': {'content': 'plain', 'encoding': 'text'}},"
                        + " {'name': 'remote', 'file': {'url': '${base}/orders/1', 'filename': 'o.json', 'content': null}}]}}}}",
                "{'mode': 'render', 'step': {'request': {'method': 'PUT', 'url': '${base}/upload',"
                        + " 'body': {'type': 'binary', 'content': 'JVBERi0=', 'encoding': 'base64', 'contentType': 'application/pdf'}},"
                        + " 'options': {'maxUploadBytes': 52428800}}}",
                "{'mode': 'render', 'step': {'request': {'method': 'PUT', 'url': '${base}/upload',"
                        + " 'body': {'type': 'binary', 'url': '${base}/orders/1'}}}}",
                "{'mode': 'render', 'step': {'request': {'method': 'POST', 'url': '${base}/orders/1/notes',"
                        + " 'body': {'type': 'text', 'content': 'a {b} c', 'contentType': 'text/plain'}}}}",
                "{'mode': 'render', 'step': {'request': {'method': 'POST', 'url': '${base}/orders/1/notes',"
                        + " 'body': {'type': 'json', 'content': null}}}}",
                "{'mode': 'render', 'step': {'request': {'url': '${base}/orders/1', 'body': {'type': 'none', 'content': 5}}}}",
                "{'mode': 'render', 'step': {'request': {'url': '${base}/orders/1'},"
                        + " 'auth': {'type': 'basic', 'username': 'u', 'password': 12}}}",
                "{'mode': 'render', 'step': {'request': {'url': '${base}/orders/1'}, 'auth': {'type': 'BEARER', 'token': 't'}}}",
                "{'mode': 'render', 'step': {'request': {'url': '${base}/orders/1'},"
                        + " 'auth': {'type': 'apiKey', 'in': 'query', 'name': 'key', 'value': 'k'}}}",
                "{'mode': 'render', 'step': {'request': {'url': '${base}/orders/1'},"
                        + " 'auth': {'type': 'apikey', 'name': 'X-Key', 'value': null}}}",
                "{'mode': 'render', 'step': {'request': {'url': '${base}/orders/1'}, 'auth': {'type': 'none', 'token': 5}}}",
                "{'mode': 'run', 'step': {'request': {'url': 'http://10.0.0.1/orders/1'}, 'auth': {'type': 'oauth2',"
                        + " 'tokenUrl': '${base}/token', 'clientId': 'c', 'clientSecret': 's', 'scope': 'a b', 'audience': null}}}",
                "{'mode': 'test', 'step': {'id': 'all-captures', 'request': {'url': '${base}/orders/A-1'},"
                        + " 'capture': [{'variable': 'a', 'path': 'response.order.status'}, {'variable': 'b', 'path': '$..sku'},"
                        + " {'variable': 'c', 'path': 'xpath:/order/status', 'default': 'none'}, {'variable': 'd', 'path': 'status'},"
                        + " {'variable': 'e', 'path': 'headers.content-type'}, {'variable': 'f', 'path': 'body'},"
                        + " {'variable': 'g', 'path': 'bodyBase64'}, {'variable': 'h', 'path': 'order.total'}],"
                        + " 'tags': {'success': ['ok'], 'failure': null}}}",
                "{'step': {'request': {'url': '${base}/orders/A-1'}, 'capture': {'status_of': 'order.status', 'raw': 'body'}}}",
                "{'mode': 'run', 'step': {'request': {'url': '${base}/orders/A-1'}, 'options': {'timeoutMs': 60000,"
                        + " 'followRedirects': false, 'maxRedirects': 0, 'successStatuses': ['2xx', 404, '300-399', ' 4XX '],"
                        + " 'retry': {'maxAttempts': 5, 'initialDelayMs': 0, 'maxDelayMs': 60000, 'retryNonIdempotent': true},"
                        + " 'onError': 'Continue', 'maxResponseBytes': 4194304, 'unresolvedVariables': 'empty',"
                        + " 'maxUploadBytes': 1, 'unknownOption': {}}}}",
                "{'step': {'request': {'url': '${base}/orders/A-1'}, 'options': {'onError': 'stop', 'unresolvedVariables': 'error',"
                        + " 'retry': null, 'successStatuses': null, 'timeoutMs': 1}}}",
                "{'mode': 'render', 'step': {'request': {'url': '${base}/orders/1'}, 'tls': {'clientCertificate': null,"
                        + " 'clientKey': null, 'clientKeyPassword': null, 'caCertificates': null}}}",
                "{'mode': 'render', 'step': {'request': {'url': '${base}/orders/1'}}, 'callback': 'https://hooks.example.com/step',"
                        + " 'idempotencyKey': null, 'futureField': [1]}",
                "{'mode': 'render', 'step': {'request': {'url': '${base}/orders/1'}}, 'idempotencyKey': '" + "k".repeat(300) + "'}",
                "{'mode': 'run', 'step': {'request': {'url': '${base}/orders/1'}}, 'idempotencyKey': 12345}",
                "{'mode': 'render', 'step': {'request': {'url': '${base}/orders/1'}}, 'callback': {'url': 'http://hooks.example.com/x'},"
                        + " 'context': {'tenantId': 'acme', 'conversationId': 9}}",
                "{'mode': 'import', 'step': {'request': {'curl': 'curl -X POST ${base}/orders/1/notes -H \\'X-A: 1\\' -F photo=@me.jpg'}}}",
                "{'mode': 'import', 'step': {'request': {'curl': 'curl -u user:pw -L --max-redirs 3 -m 5 ${base}/orders/1'},"
                        + " 'auth': null}}",
                "{'mode': 'render', 'step': {'request': {'curl': 'curl ${base}/orders/1', 'url': 7, 'method': 'BREW'}}}",
                "{'mode': 'history', 'step': {'id': 'never-ran', 'request': 'ignored in history mode'}, 'context': {'tenantId': 'acme'}}");
    }

    @ParameterizedTest
    @MethodSource("validEvents")
    void everyFieldTheParserReadsHasAValidEventAndTheFunctionAcceptsIt(String json) {
        JsonNode event = event(json);
        assertEquals(List.of(), StepSchemas.errorFields(EVENT, event), StepSchemas.describe(EVENT, event) + "\n" + event);
        runChecked(pipeline, event);
    }

    /**
     * Wrong events: the schema fails at the field the function names in {@code error.reason} (or, third, where the
     * schema can say it: a form field that is a file is the fault of the field for the schema, of the type for the
     * function).
     */
    static Stream<Arguments> wrongEvents() {
        return Stream.of(
                Arguments.of("[1]", ""),
                Arguments.of("{'variables': {}}", "step"),
                Arguments.of("{'mode': 'execute', 'step': {'request': {'url': 'https://x.example'}}}", "mode"),
                Arguments.of("{'mode': 3, 'step': {'request': {'url': 'https://x.example'}}}", "mode"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}}, 'variables': [1]}", "variables"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}}, 'context': 'acme'}", "context"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}}, 'context': {'tenantId': {}}}", "context.tenantId"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}}, 'callback': 'ftp://x.example'}", "callback"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}}, 'callback': {'url': 7}}", "callback.url"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}}, 'idempotencyKey': '" + "k".repeat(257) + "'}",
                        "idempotencyKey"),
                Arguments.of("{'mode': 'run', 'step': {'request': {'url': 'https://x.example'}}, 'idempotencyKey': {'k': 1}}",
                        "idempotencyKey"),
                Arguments.of("{'step': 'get'}", "step"),
                Arguments.of("{'step': {'id': 'x'}}", "step.request"),
                Arguments.of("{'step': {'id': [1], 'request': {'url': 'https://x.example'}}}", "step.id"),
                Arguments.of("{'step': {'request': {'url': 7}}}", "step.request.url"),
                Arguments.of("{'step': {'request': {'url': '  '}}}", "step.request.url"),
                Arguments.of("{'step': {'request': {'method': 'BREW', 'url': 'https://x.example'}}}", "step.request.method"),
                Arguments.of("{'step': {'request': {'method': 1, 'url': 'https://x.example'}}}", "step.request.method"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'headers': 'X-A: 1'}}}", "step.request.headers"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'headers': [{'name': 'X', 'value': {}}]}}}",
                        "step.request.headers[0].value"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'query': {'q': {'a': 1}}}}}", "step.request.query.q"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': 'text'}}}", "step.request.body"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {'type': 'yaml'}}}}", "step.request.body.type"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {'type': 'json'}}}}",
                        "step.request.body.content"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {'type': 'text', 'content': {}}}}}",
                        "step.request.body.content"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {'type': 'form',"
                        + " 'fields': [{'name': 'f', 'file': {'content': 'aGk='}}]}}}}", "step.request.body.type"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {"
                        + " 'fields': [{'name': 'f', 'file': {'content': 'aGk='}}]}}}}", "step.request.body.type"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {'type': 'multipart',"
                        + " 'fields': {'f': {'content': 'aGk='}}}}}}", "step.request.body.fields.f"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {'type': 'multipart',"
                        + " 'fields': [{'name': 'f', 'value': 'v', 'file': {'content': 'aGk='}}]}}}}", "step.request.body.fields[0]"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {'type': 'multipart',"
                        + " 'fields': [{'name': 'f', 'file': {'filename': 'a.txt'}}]}}}}", "step.request.body.fields[0].file"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {'type': 'form',"
                        + " 'fields': [{'name': 'f', 'value': 'v', 'contentType': 'text/csv'}]}}}}", "step.request.body.type"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {"
                        + " 'fields': [{'name': 'f', 'value': 'v', 'contentType': 'text/csv'}]}}}}", "step.request.body.type"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {'type': 'multipart',"
                        + " 'fields': [{'name': 'f', 'contentType': 'text/csv', 'file': {'content': 'aGk='}}]}}}}",
                        "step.request.body.fields[0]"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {'type': 'multipart',"
                        + " 'fields': [{'name': 'f', 'value': 'v', 'contentType': 7}]}}}}", "step.request.body.fields[0].contentType"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {'type': 'multipart',"
                        + " 'fields': [{'name': 'f', 'file': {'content': 'aGk=', 'encoding': 'hex'}}]}}}}",
                        "step.request.body.fields[0].file.encoding"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {'type': 'binary',"
                        + " 'content': 'aGk=', 'url': 'https://x.example/f'}}}}", "step.request.body"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {'type': 'binary', 'url': 5}}}}",
                        "step.request.body.url"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example', 'body': {'contentType': 7}}}}",
                        "step.request.body.contentType"),
                Arguments.of("{'step': {'request': {'curl': 7}}}", "step.request.curl"),
                Arguments.of("{'mode': 'import', 'step': {'request': {'url': 'https://x.example'}}}", "step.request.curl"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'auth': {'type': 'digest'}}}", "step.auth.type"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'auth': {'token': 't'}}}", "step.auth.type"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'auth': 'Bearer t'}}", "step.auth"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'auth': {'type': 'bearer'}}}", "step.auth.token"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'auth': {'type': 'basic', 'username': ['u']}}}",
                        "step.auth.username"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'auth': {'type': 'apiKey', 'in': 'cookie',"
                        + " 'name': 'k'}}}", "step.auth.in"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'auth': {'type': 'apiKey', 'value': 'v'}}}",
                        "step.auth.name"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'auth': {'type': 'oauth2', 'tokenUrl': 'https://t',"
                        + " 'clientId': 'c'}}}", "step.auth.clientSecret"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'auth': {'type': 'oauth2', 'tokenUrl': 'https://t',"
                        + " 'clientId': 'c', 'clientSecret': 's', 'scope': ['a']}}}", "step.auth.scope"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'tls': {'clientKey': 42}}}", "step.tls.clientKey"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'tls': 'PEM'}}", "step.tls"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'capture': 'status'}}", "step.capture"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'capture': [{'variable': 'v'}]}}",
                        "step.capture[0].path"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'capture': [{'variable': ' ', 'path': 'status'}]}}",
                        "step.capture[0].variable"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'capture': {'v': 7}}}", "step.capture.v"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'capture': {' ': 'status'}}}", "step.capture"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'tags': {'success': 'ok'}}}", "step.tags.success"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'tags': {'failure': ['']}}}", "step.tags.failure[0]"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': []}}", "step.options"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'timeoutMs': 0}}}",
                        "step.options.timeoutMs"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'timeoutMs': 60001}}}",
                        "step.options.timeoutMs"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'timeoutMs': '100'}}}",
                        "step.options.timeoutMs"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'timeoutMs': 10.5}}}",
                        "step.options.timeoutMs"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'followRedirects': 'yes'}}}",
                        "step.options.followRedirects"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'maxRedirects': 21}}}",
                        "step.options.maxRedirects"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'maxRedirects': -1}}}",
                        "step.options.maxRedirects"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'maxResponseBytes': 4194305}}}",
                        "step.options.maxResponseBytes"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'maxUploadBytes': 52428801}}}",
                        "step.options.maxUploadBytes"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'maxUploadBytes': 0}}}",
                        "step.options.maxUploadBytes"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'retry': {'maxAttempts': 6}}}}",
                        "step.options.retry.maxAttempts"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'retry': {'maxAttempts': 0}}}}",
                        "step.options.retry.maxAttempts"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'retry': {'initialDelayMs': -1}}}}",
                        "step.options.retry.initialDelayMs"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'retry': {'maxDelayMs': 60001}}}}",
                        "step.options.retry.maxDelayMs"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'retry': {'retryNonIdempotent': 1}}}}",
                        "step.options.retry.retryNonIdempotent"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'retry': 3}}}", "step.options.retry"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'onError': 'ignore'}}}",
                        "step.options.onError"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'unresolvedVariables': 'drop'}}}",
                        "step.options.unresolvedVariables"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'successStatuses': []}}}",
                        "step.options.successStatuses"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'successStatuses': '2xx'}}}",
                        "step.options.successStatuses"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'successStatuses': [600]}}}",
                        "step.options.successStatuses[0]"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'successStatuses': ['2xx', '6xx']}}}",
                        "step.options.successStatuses[1]"),
                Arguments.of("{'step': {'request': {'url': 'https://x.example'}, 'options': {'successStatuses': ['200-700']}}}",
                        "step.options.successStatuses[0]"),
                Arguments.of("{'mode': 'history', 'step': {'request': {'url': 'https://x.example'}}}", "step.id"),
                Arguments.of("{'mode': 'history', 'step': {'id': 7}}", "step.id"))
                .map(wrong -> wrong.get().length == 3 ? wrong : Arguments.of(wrong.get()[0], wrong.get()[1], wrong.get()[1]));
    }

    @ParameterizedTest
    @MethodSource("wrongEvents")
    void aWrongEventFailsAtTheFieldTheFunctionNames(String json, String reason, String field) {
        JsonNode event = event(json);
        List<String> fields = StepSchemas.errorFields(EVENT, event);
        assertFalse(fields.isEmpty(), "the schema accepts " + event);
        assertTrue(fields.stream().anyMatch(at -> SchemaChecks.onPath(at, field)), field + " is not among " + fields);
        assertTrue(fields.stream().allMatch(at -> SchemaChecks.onPath(at, field)),
                "the schema blames other fields than " + field + ": " + fields + StepSchemas.describe(EVENT, event));
        JsonNode result = runChecked(pipeline, event);
        assertEquals(reason.isEmpty() ? "event" : reason, result.at("/error/reason").asText(), result.toString());
    }

    /** Every word of every choice the parser reads, in any case and with blanks, is valid; a word it lacks is not. */
    @Test
    void everyChoiceOfTheParserIsInTheSchemaInAnyCase() {
        List<String> failures = new ArrayList<>();
        choices(failures, "mode", names(Mode.values()), word -> "{'mode': '" + word + "', 'step': {'id': 'x', 'request': {"
                + ("import".equalsIgnoreCase(word.replace("\\t", "").trim()) ? "'curl': 'curl https://x.example'" : "'url': 'https://x.example'") + "}}}");
        choices(failures, "method", List.of("get", "post", "put", "patch", "delete", "head", "options"),
                word -> "{'step': {'request': {'method': '" + word + "', 'url': 'https://x.example'}}}");
        choices(failures, "body type", names(BodyType.values()), word -> "{'step': {'request': {'url': 'https://x.example',"
                + " 'body': {'type': '" + word + "', 'content': 'aGk=', 'fields': []}}}}");
        choices(failures, "encoding", names(FileTemplate.Encoding.values()), word -> "{'step': {'request': {'url': 'https://x.example',"
                + " 'body': {'type': 'binary', 'content': 'aGk=', 'encoding': '" + word + "'}}}}");
        choices(failures, "auth type", List.of("none", "basic", "bearer", "apikey", "oauth2"), word -> "{'step': {'request':"
                + " {'url': 'https://x.example'}, 'auth': {'type': '" + word + "', 'token': 't', 'name': 'n', 'tokenUrl': 'https://t',"
                + " 'clientId': 'c', 'clientSecret': 's'}}}");
        choices(failures, "apiKey in", names(Auth.Placement.values()), word -> "{'step': {'request': {'url': 'https://x.example'},"
                + " 'auth': {'type': 'apiKey', 'name': 'n', 'in': '" + word + "'}}}");
        choices(failures, "onError", names(OnError.values()), word -> "{'step': {'request': {'url': 'https://x.example'},"
                + " 'options': {'onError': '" + word + "'}}}");
        choices(failures, "unresolvedVariables", names(UnresolvedPolicy.values()), word -> "{'step': {'request':"
                + " {'url': 'https://x.example'}, 'options': {'unresolvedVariables': '" + word + "'}}}");
        assertEquals(List.of(), failures);
    }

    private static List<String> names(Enum<?>[] constants) {
        return Arrays.stream(constants).map(constant -> constant.name().toLowerCase(Locale.ROOT)).toList();
    }

    private static void choices(List<String> failures, String what, List<String> words,
            java.util.function.Function<String, String> eventOf) {
        for (String word : words) {
            String upper = word.toUpperCase(Locale.ROOT);
            String mixed = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            for (String variant : List.of(word, upper, mixed, " " + word + "\\t")) {
                JsonNode event = event(eventOf.apply(variant));
                if (!StepSchemas.errorFields(EVENT, event).isEmpty()) {
                    failures.add(what + " '" + variant + "' is refused:" + StepSchemas.describe(EVENT, event));
                }
            }
        }
        JsonNode unknown = event(eventOf.apply("unknown"));
        if (StepSchemas.errorFields(EVENT, unknown).isEmpty()) {
            failures.add(what + " 'unknown' is accepted");
        }
    }

    /** docs/openapi.json describes container mode's POST / with the two schemas: every reference it makes resolves. */
    @Test
    void theOpenApiDescriptionRefersToTheSchemas() throws IOException {
        Path openApi = Path.of("docs", "openapi.json");
        JsonNode description = PlainPipeline.JSON.readTree(Files.readString(openApi));
        assertTrue(description.path("openapi").asText().startsWith("3.1."), "OpenAPI 3.1 reads JSON Schema 2020-12 as it is");
        List<String> references = JsonReferences.in(description);
        assertTrue(references.containsAll(List.of("schema/step-event.schema.json", "schema/step-result.schema.json")),
                references.toString());
        for (String reference : references) {
            String file = reference.contains("#") ? reference.substring(0, reference.indexOf('#')) : reference;
            String pointer = reference.contains("#") ? reference.substring(reference.indexOf('#') + 1) : "";
            Path target = file.isEmpty() ? openApi : openApi.resolveSibling(file);
            assertTrue(Files.isRegularFile(target), reference);
            assertFalse(PlainPipeline.JSON.readTree(Files.readString(target)).at(pointer).isMissingNode(), reference);
        }
    }

    @Test
    void theErrorCodesAreExactlyTheFunctions() throws IOException {
        JsonNode schema = PlainPipeline.JSON.readTree(Files.readString(StepSchemas.RESULT));
        List<String> inSchema = new ArrayList<>();
        schema.at("/$defs/errorCode/enum").forEach(code -> inSchema.add(code.asText()));
        assertEquals(Arrays.stream(ErrorCode.values()).map(Enum::name).toList(), inSchema,
                "core/ErrorCode and the result schema's $defs.errorCode.enum differ");
    }

    @Test
    void resultsOfEveryKindAreValid() {
        // A 404, an unreadable event, and a retry-able failure.
        JsonNode missing = runChecked(pipeline, event("{'mode': 'test', 'step': {'request': {'url': '${base}/nothing'}}}"));
        assertEquals("HTTP_STATUS", missing.at("/error/code").asText());
        JsonNode unreadable = pipeline.unreadable();
        SchemaChecks.assertValidResult(unreadable);
        assertEquals("INVALID_EVENT", unreadable.at("/error/code").asText());
        JsonNode stop = runChecked(pipeline, event("{'step': {'request': {'url': '${base}/nothing'}, 'options': {'onError': 'stop'}}}"));
        assertEquals("stop", stop.get("branch").asText());

        // Idempotent delivery: the repeat is the stored result, replayed.
        String keyed = "{'idempotencyKey': 'k-" + System.nanoTime() + "', 'context': {'tenantId': 'acme'},"
                + " 'step': {'request': {'url': '${base}/orders/A-1'}, 'capture': {'s': 'order.status'}}}";
        runChecked(pipeline, event(keyed));
        JsonNode replayed = runChecked(pipeline, event(keyed));
        assertTrue(replayed.path("replayed").asBoolean(), replayed.toString());

        // Recent runs, with a request and a response.
        String id = "history-" + System.nanoTime();
        runChecked(pipeline, event("{'mode': 'test', 'context': {'tenantId': 'acme'}, 'step': {'id': '" + id + "',"
                + " 'request': {'method': 'POST', 'url': '${base}/orders/A-1/notes', 'body': {'content': {'n': 1}},"
                + " 'headers': {'X-Api-Key': 'secret'}}}}"));
        runChecked(pipeline, event("{'context': {'tenantId': 'acme'}, 'step': {'id': '" + id + "', 'request': {'url': '${base}/x'}}}"));
        JsonNode history = runChecked(pipeline, event("{'mode': 'history', 'context': {'tenantId': 'acme'}, 'step': {'id': '" + id + "'}}"));
        assertEquals(2, history.path("runs").size(), history.toString());
        assertTrue(history.at("/runs/1/request/headers").isArray() && history.at("/runs/1/response/status").isInt(),
                history.toString());

        // Import gives a step valid for the event schema's step.
        JsonNode imported = runChecked(pipeline, event("{'mode': 'import', 'step': {'request': {'curl':"
                + " 'curl -X PUT ${base}/up -H \\'Authorization: Bearer t\\' -F a=1 -F f=@me.jpg -L -m 3'}}}"));
        assertTrue(imported.at("/step/request/body/fields/1/file").isObject(), imported.toString());
        JsonNode binary = runChecked(pipeline, event("{'mode': 'import', 'step': {'request': {'curl':"
                + " 'curl -u u:p --data-binary @doc.pdf -H \\'Content-Type: application/pdf\\' ${base}/up'}}}"));
        assertTrue(binary.has("step"), binary.toString());

        // The result schema is not a rubber stamp.
        ObjectNode wrong = missing.deepCopy();
        wrong.put("branch", "elsewhere");
        ((ObjectNode) wrong.get("error")).put("code", "TEAPOT");
        wrong.put("attempts", -1);
        assertEquals(List.of("attempts", "branch", "error", "error.code"), StepSchemas.errorFields(RESULT, wrong));
    }
}
