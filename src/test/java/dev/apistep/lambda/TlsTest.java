package dev.apistep.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.support.AlertingTlsServer;
import dev.apistep.support.LambdaEvents;
import dev.apistep.support.StepEvents;
import dev.apistep.support.TestPki;
import dev.apistep.support.TestPki.Identity;
import dev.apistep.support.TlsServer;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Certificate-aware TLS against real HTTPS servers on loopback, with certificates the tests generate. */
@QuarkusTest
class TlsTest {

    private static final String PASSWORD = "pa55-w0rd";
    private static Identity authority;
    private static Identity clientAuthority;
    private static TlsServer trusted;
    private static TlsServer expired;
    private static TlsServer wrongHost;
    private static TlsServer mutual;
    private static TlsServer mutualTls12;

    @BeforeAll
    static void startServers() throws Exception {
        authority = TestPki.authority("CN=Test Server CA");
        clientAuthority = TestPki.authority("CN=Test Client CA");
        trusted = new TlsServer(TestPki.server(authority, "localhost", "127.0.0.1"), null);
        expired = new TlsServer(TestPki.server(authority, Instant.now().minus(Duration.ofDays(20)), Duration.ofDays(10),
                "localhost", "127.0.0.1"), null);
        wrongHost = new TlsServer(TestPki.server(authority, "other.test"), null);
        mutual = new TlsServer(TestPki.server(authority, "localhost", "127.0.0.1"), clientAuthority);
        mutualTls12 = new TlsServer(TestPki.server(authority, "localhost", "127.0.0.1"), clientAuthority, "TLSv1.2");
    }

    @AfterAll
    static void stopServers() {
        trusted.close();
        expired.close();
        wrongHost.close();
        mutual.close();
        mutualTls12.close();
    }

    @BeforeEach
    void forgetClients() {
        mutual.clientSubjects().clear();
    }

    private static StepEvents step(TlsServer server, String host, ObjectNode tls) {
        StepEvents step = StepEvents.step("GET", server.url(host)).capture("[{\"variable\": \"client\", \"path\": \"client\"}]");
        if (tls != null) {
            step.json().with("step").set("tls", tls);
        }
        return step;
    }

    private static ObjectNode tls(String ca, String certificate, String key, String password) {
        ObjectNode tls = LambdaEvents.JSON.createObjectNode();
        if (ca != null) {
            tls.put("caCertificates", ca);
        }
        if (certificate != null) {
            tls.put("clientCertificate", certificate);
        }
        if (key != null) {
            tls.put("clientKey", key);
        }
        if (password != null) {
            tls.put("clientKeyPassword", password);
        }
        return tls;
    }

    private static ObjectNode trustOnly() {
        return tls(authority.certificatePem(), null, null, null);
    }

    private static void assertTlsFailure(JsonNode result, String reason) {
        assertEquals("failure", result.get("branch").asText(), result.toString());
        assertEquals("TLS_FAILURE", result.get("error").get("code").asText(), result.toString());
        assertEquals(reason, result.get("error").get("reason").asText(), result.toString());
    }

    @Test
    void trustsTheStepsCaOnTopOfTheDefaults() {
        JsonNode result = step(trusted, "localhost", trustOnly()).invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals("none", result.get("variables").get("client").textValue());
        assertEquals("success", step(trusted, "127.0.0.1", trustOnly()).invoke().get("branch").asText());
    }

    @Test
    void aRedirectFromHttpsToPlainHttpIsRefused() {
        JsonNode result = StepEvents.step("GET", trusted.url("localhost").replace("/check", "/downgrade"))
                .stepField("tls", trustOnly().toString()).invoke();
        assertEquals("BLOCKED_DESTINATION", result.get("error").get("code").asText(), result.toString());
        assertEquals("a redirect from localhost to plain http was refused", result.get("error").get("message").asText());
    }

    @Test
    void anUnknownCaIsUntrusted() {
        assertTlsFailure(step(trusted, "localhost", null).invoke(), "UNTRUSTED");
        assertTlsFailure(step(trusted, "localhost", tls(clientAuthority.certificatePem(), null, null, null)).invoke(), "UNTRUSTED");
    }

    @Test
    void anExpiredServerCertificateIsRefused() {
        assertTlsFailure(step(expired, "localhost", trustOnly()).invoke(), "EXPIRED");
    }

    @Test
    void aCertificateForAnotherHostIsRefused() {
        assertTlsFailure(step(wrongHost, "localhost", trustOnly()).invoke(), "HOSTNAME_MISMATCH");
    }

    @ParameterizedTest(name = "{0} key as {1}")
    @MethodSource("dev.apistep.support.TestPki#keyFormats")
    void presentsTheClientCertificateWhateverTheKeyFormat(String algorithm, String format) {
        Identity client = TestPki.client(clientAuthority, "bot-" + algorithm + "-" + format, algorithm);
        String key = client.keyPem(format, PASSWORD);
        JsonNode result = step(mutual, "localhost", tls(authority.certificatePem(), client.chainPem(), key,
                format.equals("encrypted") ? PASSWORD : null)).invoke();
        assertEquals("success", result.get("branch").asText(), result.toString());
        assertEquals("CN=bot-" + algorithm + "-" + format, result.get("variables").get("client").textValue());
        assertFalse(result.toString().contains(PASSWORD));
    }

    @Test
    void eachStepPresentsItsOwnCertificateToTheSameHost() {
        Identity alice = TestPki.client(clientAuthority, "alice", "EC");
        Identity bob = TestPki.client(clientAuthority, "bob", "EC");
        for (Identity who : List.of(alice, bob, alice)) {
            step(mutual, "localhost", tls(authority.certificatePem(), who.certificatePem(), who.pkcs8Pem(), null)).invoke();
        }
        assertEquals(List.of("CN=alice", "CN=bob", "CN=alice"), mutual.clientSubjects());
    }

    @Test
    void pastedPemThatLostItsLineBreaksIsRepaired() {
        Identity client = TestPki.client(clientAuthority, "pasted", "RSA");
        JsonNode result = step(mutual, "localhost", tls(authority.certificatePem().replace("\n", " "),
                client.certificatePem().replace("\n", ""), client.encryptedPkcs8Pem(PASSWORD).replace("\n", "\\n"),
                PASSWORD)).invoke();
        assertEquals("CN=pasted", result.get("variables").get("client").textValue(), result.toString());
    }

    /**
     * A TLS 1.2 server that refuses the client's certificate (or its absence) closes the connection during
     * the handshake without an alert the client can read: the reason is HANDSHAKE.
     */
    @Test
    void aTls12ServerRefusingTheClientCertificateIsAHandshakeFailure() {
        Identity stranger = TestPki.client(TestPki.authority("CN=Stranger CA"), "stranger", "EC");
        assertTlsFailure(step(mutualTls12, "localhost", trustOnly()).invoke(), "HANDSHAKE");
        assertTlsFailure(step(mutualTls12, "localhost",
                tls(authority.certificatePem(), stranger.certificatePem(), stranger.pkcs8Pem(), null)).invoke(), "HANDSHAKE");
        assertEquals(List.of(), mutualTls12.clientSubjects());
        Identity known = TestPki.client(clientAuthority, "tls12", "RSA");
        JsonNode accepted = step(mutualTls12, "localhost",
                tls(authority.certificatePem(), known.certificatePem(), known.pkcs8Pem(), null)).invoke();
        assertEquals("CN=tls12", accepted.get("variables").get("client").textValue(), accepted.toString());
    }

    /**
     * A TLS 1.3 server that refuses the client certificate by closing without an alert (the JDK's HttpsServer
     * does) leaves the client only the close: the step fails as a connection failure.
     */
    @Test
    void aTls13ServerRejectingTheClientCertificateFailsTheStep() {
        Identity stranger = TestPki.client(TestPki.authority("CN=Stranger CA"), "stranger", "EC");
        for (ObjectNode material : List.of(trustOnly(),
                tls(authority.certificatePem(), stranger.certificatePem(), stranger.pkcs8Pem(), null))) {
            JsonNode result = step(mutual, "localhost", material).invoke();
            assertEquals("failure", result.get("branch").asText(), result.toString());
            assertEquals("CONNECT_FAILURE", result.get("error").get("code").asText(), result.toString());
        }
        assertEquals(List.of(), mutual.clientSubjects());
    }

    /**
     * A TLS 1.3 server that refuses the client certificate (or its absence) with an alert after the client's
     * side of the handshake is done, as nginx and Go do: the step says which side refused.
     */
    @Test
    void aTls13AlertRefusingTheClientCertificateIsClientCertRejected() throws Exception {
        Identity stranger = TestPki.client(TestPki.authority("CN=Stranger CA"), "stranger", "EC");
        try (AlertingTlsServer alerting = new AlertingTlsServer(TestPki.server(authority, "localhost", "127.0.0.1"),
                clientAuthority)) {
            for (ObjectNode material : List.of(trustOnly(),
                    tls(authority.certificatePem(), stranger.certificatePem(), stranger.pkcs8Pem(), null))) {
                JsonNode result = StepEvents.step("GET", alerting.url("localhost")).stepField("tls", material.toString()).invoke();
                assertTlsFailure(result, "CLIENT_CERT_REJECTED");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            wrong password,        TLS_FAILURE,  KEY_PASSWORD
            missing password,      TLS_FAILURE,  KEY_PASSWORD
            garbage key,           TLS_FAILURE,  KEY_INVALID
            another identity's key, TLS_FAILURE, CERT_KEY_MISMATCH
            certificate alone,     INVALID_STEP, step.tls.clientKey
            key alone,             INVALID_STEP, step.tls.clientCertificate
            garbage certificate,   INVALID_STEP, step.tls.clientCertificate
            garbage CA,            INVALID_STEP, step.tls.caCertificates
            """)
    void materialThatCannotBeLoadedFailsBeforeConnecting(String problem, String code, String reason) {
        Identity client = TestPki.client(clientAuthority, "broken", "RSA");
        Identity other = TestPki.client(clientAuthority, "other", "RSA");
        String ca = authority.certificatePem();
        ObjectNode material = switch (problem) {
            case "wrong password" -> tls(ca, client.certificatePem(), client.encryptedPkcs8Pem(PASSWORD), "nope");
            case "missing password" -> tls(ca, client.certificatePem(), client.encryptedPkcs8Pem(PASSWORD), null);
            case "garbage key" -> tls(ca, client.certificatePem(), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", null);
            case "another identity's key" -> tls(ca, client.certificatePem(), other.pkcs8Pem(), null);
            case "certificate alone" -> tls(ca, client.certificatePem(), null, null);
            case "key alone" -> tls(ca, null, client.pkcs8Pem(), null);
            case "garbage certificate" -> tls(ca, "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----", client.pkcs8Pem(), null);
            default -> tls("just some text", null, null, null);
        };
        JsonNode result = step(mutual, "localhost", material).invoke();
        assertEquals(code, result.get("error").get("code").asText(), result.toString());
        assertEquals(reason, result.get("error").get("reason").asText(), result.toString());
        assertEquals(0, result.get("attempts").intValue(), "nothing was sent");
        assertEquals(List.of(), mutual.clientSubjects());
        assertFalse(result.toString().contains(PASSWORD));
        assertFalse(result.toString().contains(client.pkcs8Pem().substring(40, 80)));
    }
}
