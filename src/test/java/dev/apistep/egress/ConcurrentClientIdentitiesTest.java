package dev.apistep.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.apistep.core.Deadline;
import dev.apistep.core.NameValue;
import dev.apistep.exchange.OutboundRequest;
import dev.apistep.exchange.RequestBody;
import dev.apistep.exchange.UsedSecrets;
import dev.apistep.step.TlsMaterial;
import dev.apistep.support.TestPki.Identity;
import dev.apistep.support.TestPki;
import dev.apistep.support.TlsServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two client identities used at the same time against one host, on the warm function's cached clients:
 * the server must see each request's own certificate, never the other's.
 */
@QuarkusTest
class ConcurrentClientIdentitiesTest {

    private static final int REQUESTS_PER_IDENTITY = 40;

    @Inject
    HttpSender sender;

    @Test
    void eachConcurrentRequestPresentsItsOwnCertificate() throws Exception {
        Identity authority = TestPki.authority("CN=Concurrent Server CA");
        Identity clientAuthority = TestPki.authority("CN=Concurrent Client CA");
        Identity alice = TestPki.client(clientAuthority, "alice", "EC");
        Identity bob = TestPki.client(clientAuthority, "bob", "RSA");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (TlsServer server = new TlsServer(TestPki.server(authority, "localhost", "127.0.0.1"), clientAuthority)) {
            List<Future<String>> answers = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < REQUESTS_PER_IDENTITY * 2; i++) {
                Identity who = i % 2 == 0 ? alice : bob;
                TlsMaterial tls = new TlsMaterial(who.certificatePem(), who.pkcs8Pem(), null, authority.certificatePem());
                OutboundRequest request = new OutboundRequest("GET", URI.create(server.url("localhost")),
                        List.of(new NameValue("User-Agent", "concurrency-test")), RequestBody.NONE, tls,
                        UsedSecrets.NONE);
                expected.add("{\"client\": \"" + who.certificate().getSubjectX500Principal().getName() + "\"}");
                answers.add(threads.submit(() -> new String(
                        sender.send(request, Deadline.afterMillis(20_000), 1024).body(), StandardCharsets.UTF_8)));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertEquals(expected.get(i), answers.get(i).get());
            }
            assertEquals(REQUESTS_PER_IDENTITY * 2, server.clientSubjects().size());
        } finally {
            threads.shutdownNow();
        }
    }
}
