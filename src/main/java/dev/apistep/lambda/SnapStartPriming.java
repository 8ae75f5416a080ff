package dev.apistep.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.apistep.destination.DestinationPolicy;
import dev.apistep.destination.PrimingExemption;
import dev.apistep.egress.HttpClients;
import dev.apistep.pipeline.StepPipeline;
import dev.apistep.resilience.RandomSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.OptionalLong;
import java.util.logging.Level;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jboss.logging.Logger;

/**
 * SnapStart priming: before the snapshot, whole steps run through the real pipeline (event read, templates,
 * the HTTP client, a TLS handshake, capture, result, the log line's JSON) against an HTTP and an HTTPS endpoint
 * on loopback started for this alone, so that a restored function starts with that path loaded and compiled.
 * Steps reach those endpoints through a {@link PrimingExemption} for exactly their address and port, closed
 * with the endpoints. After a restore, what must differ between clones is renewed: the HTTP clients (their
 * pooled connections) and the random source of retries.
 * <p>
 * Registered only when Lambda says the instance is being initialised for SnapStart
 * ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}); otherwise nothing here runs.
 */
@Singleton
public class SnapStartPriming implements Resource {

    /** Rounds of priming steps (each a plain, a JSON-body and an HTTPS step): enough for C1 to compile the path. */
    static final int ROUNDS = 120;
    private static final Logger LOG = Logger.getLogger(SnapStartPriming.class);
    /** The step lines' category: priming steps are no steps of the function's metrics, so their lines are not written. */
    private static final String STEP_LINES = "api-step.steps";
    private static final byte[] ORDER = "{\"order\":{\"status\":\"shipped\",\"items\":[{\"sku\":\"SKU-1\",\"qty\":2}]},\"price\":12.5}"
            .getBytes(StandardCharsets.UTF_8);

    private final StepPipeline pipeline;
    private final DestinationPolicy destinations;
    private final HttpClients clients;
    private final ObjectMapper mapper;

    public SnapStartPriming(StepPipeline pipeline, DestinationPolicy destinations, HttpClients clients, ObjectMapper mapper) {
        this.pipeline = pipeline;
        this.destinations = destinations;
        this.clients = clients;
        this.mapper = mapper;
    }

    void register(@Observes StartupEvent started) {
        if ("snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            Core.getGlobalContext().register(this);
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            Primed primed = prime(InetAddress.getLoopbackAddress(), ROUNDS);
            LOG.infof("SnapStart priming: %d of %d steps succeeded in %d ms", primed.succeeded(), primed.steps(), primed.millis());
        } catch (IOException | RuntimeException failed) {
            // Priming only saves time: a snapshot without it is still correct.
            LOG.warnf("SnapStart priming did not run: %s", failed.toString());
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        clients.renew();
        RandomSource.renew();
    }

    /** What priming did. */
    record Primed(int steps, int succeeded, long millis, int httpPort, int httpsPort) {
    }

    /** Runs {@code rounds} rounds of steps against loopback endpoints on {@code address}, started and stopped here. */
    Primed prime(InetAddress address, int rounds) throws IOException {
        long started = System.nanoTime();
        SelfSigned identity = SelfSigned.forAddress(address);
        // Without it the JDK's server waits on delayed ACKs, ~40 ms an exchange (read once, when its first server starts).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer plain = HttpServer.create(new InetSocketAddress(address, 0), 16);
        HttpsServer secure = HttpsServer.create(new InetSocketAddress(address, 0), 16);
        secure.setHttpsConfigurator(new HttpsConfigurator(identity.context()));
        plain.createContext("/", SnapStartPriming::answer);
        secure.createContext("/", SnapStartPriming::answer);
        plain.start();
        secure.start();
        java.util.logging.Logger stepLines = java.util.logging.Logger.getLogger(STEP_LINES);
        Level level = stepLines.getLevel();
        stepLines.setLevel(Level.OFF);
        int steps = 0;
        int succeeded = 0;
        try (PrimingExemption plainExemption = PrimingExemption.open(destinations, plain.getAddress())) {
            String base = "http://" + hostOf(address) + ":" + plain.getAddress().getPort();
            for (int round = 0; round < rounds; round++) {
                succeeded += run(getStep(base, round));
                succeeded += run(postStep(base, round));
                steps += 2;
            }
        } finally {
            plain.stop(0);
        }
        try (PrimingExemption exemption = PrimingExemption.open(destinations, secure.getAddress())) {
            String base = "https://" + hostOf(address) + ":" + secure.getAddress().getPort();
            for (int round = 0; round < Math.max(1, rounds / 10); round++) {
                succeeded += run(httpsStep(base, identity.certificatePem(), round));
                steps++;
            }
        } finally {
            secure.stop(0);
            stepLines.setLevel(level);
        }
        return new Primed(steps, succeeded, (System.nanoTime() - started) / 1_000_000, plain.getAddress().getPort(),
                secure.getAddress().getPort());
    }

    private int run(ObjectNode event) {
        JsonNode result = mapper.valueToTree(pipeline.run(event, OptionalLong.empty(), null).result());
        return "success".equals(result.path("branch").asText()) ? 1 : 0;
    }

    private ObjectNode getStep(String base, int round) throws IOException {
        return (ObjectNode) mapper.readTree("{\"step\": {\"id\": \"snapstart-priming\", \"request\": {\"method\": \"GET\","
                + " \"url\": \"" + base + "/orders/{id}?lang={lang}\", \"headers\": [{\"name\": \"Accept\", \"value\": \"application/json\"}]},"
                + " \"capture\": [{\"variable\": \"st\", \"path\": \"response.order.status\"},"
                + " {\"variable\": \"s\", \"path\": \"$.order.items[0].sku\"}, {\"variable\": \"code\", \"path\": \"status\"}]},"
                + " \"variables\": {\"id\": \"A-" + round + "\", \"lang\": \"en\"}}");
    }

    private ObjectNode postStep(String base, int round) throws IOException {
        return (ObjectNode) mapper.readTree("{\"step\": {\"id\": \"snapstart-priming\", \"request\": {\"method\": \"POST\","
                + " \"url\": \"" + base + "/orders\", \"body\": {\"type\": \"json\", \"content\": \"{\\\"note\\\": \\\"{note}\\\","
                + " \\\"count\\\": {count}}\"}}, \"auth\": {\"type\": \"bearer\", \"token\": \"{token}\"},"
                + " \"capture\": [{\"variable\": \"st\", \"path\": \"order.status\"}], \"options\": {\"retry\": {\"maxAttempts\": 2}}},"
                + " \"variables\": {\"note\": \"n\", \"count\": " + round + ", \"token\": \"priming\"},"
                + " \"context\": {\"conversationId\": \"priming\"}}");
    }

    private ObjectNode httpsStep(String base, String caPem, int round) throws IOException {
        ObjectNode event = getStep(base, round);
        ((ObjectNode) event.get("step")).putObject("tls").put("caCertificates", caPem);
        return event;
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, ORDER.length);
        exchange.getResponseBody().write(ORDER);
        exchange.close();
    }

    private static String hostOf(InetAddress address) {
        return address instanceof java.net.Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    }

    /** A key and a self-signed certificate for one address, made for one priming and then dropped. */
    private record SelfSigned(SSLContext context, String certificatePem) {

        static SelfSigned forAddress(InetAddress address) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair keys = generator.generateKeyPair();
                Instant now = Instant.now();
                X500Name name = new X500Name("CN=api-step SnapStart priming");
                var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofHours(1))), name, keys.getPublic());
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, address.getHostAddress())));
                X509Certificate certificate = new JcaX509CertificateConverter()
                        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                char[] password = new char[0];
                store.setKeyEntry("priming", keys.getPrivate(), password, new X509Certificate[] {certificate});
                KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(store, password);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keyManagers.getKeyManagers(), null, null);
                String pem = "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
                return new SelfSigned(context, pem);
            } catch (Exception failed) {
                throw new IllegalStateException("could not make the priming endpoint's certificate", failed);
            }
        }
    }
}
