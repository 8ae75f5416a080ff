package dev.apistep.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.apistep.core.LosslessJson;
import dev.apistep.pipeline.ToolCatalogue;
import dev.apistep.read.StepEventParser;
import dev.apistep.template.SecretStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container-mode manifests (infra/k8s, infra/knative) read as data: the port the function listens on,
 * the health probes, the environment variables it reads, memory against what the benchmark measured,
 * time to finish in-flight steps, the wiring between the objects; and that no deployment (SAM templates and
 * Dockerfiles included) turns the workbench page on.
 */
class ContainerManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** What the benchmark measured for one container-mode process (RSS, JVM, 32 concurrent steps). */
    private static final long MEASURED_RSS_MB = 271;
    /** MCP's bearer tokens (contract §8), read by the MCP server in container mode. */
    private static final String MCP_TOKENS = "API_STEP_MCP_TOKENS";
    private static final String CATALOGUE_MOUNT = "/etc/api-step/catalog";
    private static final List<Path> MANIFESTS =
            List.of(Path.of("infra", "k8s", "api-step.yaml"), Path.of("infra", "knative", "service.yaml"));

    private static Map<String, JsonNode> documents(Path file) throws IOException {
        Map<String, JsonNode> byKind = new HashMap<>();
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            YAML.readValues(parser, JsonNode.class).readAll().forEach(doc -> byKind.put(doc.get("kind").asText(), doc));
        }
        return byKind;
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    private static List<JsonNode> containers() throws IOException {
        List<JsonNode> containers = new ArrayList<>();
        for (Path manifest : MANIFESTS) {
            containers.add(podSpec(manifest).at("/containers/0"));
        }
        return containers;
    }

    /** The pod template's spec: the Deployment's in k8s/, the Knative Service's in knative/. */
    private static JsonNode podSpec(Path manifest) throws IOException {
        Map<String, JsonNode> byKind = documents(manifest);
        return byKind.getOrDefault("Deployment", byKind.get("Service")).at("/spec/template/spec");
    }

    private static JsonNode variable(JsonNode container, String name) {
        for (JsonNode variable : container.get("env")) {
            if (variable.get("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError(name + " is not set: " + container.get("env"));
    }

    @Test
    void containersListenWhereTheFunctionListensAndProbeItsHealth() throws IOException {
        assertTrue(applicationProperties().getProperty("quarkus.http.port") == null, "the function listens on Quarkus' 8080");
        for (JsonNode container : containers()) {
            assertEquals(8080, container.at("/ports/0/containerPort").intValue());
            assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
            assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        }
    }

    @Test
    void everyEnvironmentVariableIsOneTheFunctionReads() throws IOException {
        for (JsonNode container : containers()) {
            List<String> names = new ArrayList<>();
            container.get("env").forEach(variable -> names.add(variable.get("name").asText()));
            List<String> unread = names.stream().filter(name -> !ConfigEnvironment.variables().contains(name)
                    && !name.startsWith(SecretStore.ENVIRONMENT_PREFIX)).toList();
            assertEquals(List.of(), unread, "read by the function: " + ConfigEnvironment.variables());
            assertTrue(names.containsAll(List.of("API_STEP_ALLOWED_DESTINATIONS", "API_STEP_BOUND_SECRETS",
                    "API_STEP_WEBHOOK_SECRET", "API_STEP_HTTP_MAX_CONCURRENT_STEPS")), names.toString());
        }
    }

    @Test
    void noDeploymentTurnsTheWorkbenchPageOn() throws IOException {
        List<Path> mentions;
        try (Stream<Path> files = Stream.concat(Files.walk(Path.of("infra")), Files.walk(Path.of("src", "main", "docker")))) {
            mentions = files.filter(Files::isRegularFile).filter(file -> read(file).toLowerCase(Locale.ROOT).contains("workbench")).toList();
        }
        assertEquals(List.of(), mentions, "the workbench is for development; api-step.workbench.enabled stays false in deployments");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void memoryRequestsCoverWhatTheBenchmarkMeasured() throws IOException {
        for (JsonNode container : containers()) {
            long request = mebibytes(container.at("/resources/requests/memory").asText());
            long limit = mebibytes(container.at("/resources/limits/memory").asText());
            assertTrue(request >= MEASURED_RSS_MB, "request " + request);
            assertTrue(limit >= request, "limit " + limit);
        }
    }

    @Test
    void inFlightStepsHaveTimeToFinish() throws IOException {
        long shutdown = Duration.parse("PT" + applicationProperties().getProperty("quarkus.shutdown.timeout").toUpperCase()).toSeconds();
        assertTrue(shutdown > 60, "the shutdown timeout covers the 60 s step cap");
        JsonNode deployment = documents(Path.of("infra", "k8s", "api-step.yaml")).get("Deployment");
        assertTrue(deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong() > shutdown);
        JsonNode knative = documents(Path.of("infra", "knative", "service.yaml")).get("Service");
        assertTrue(knative.at("/spec/template/spec/timeoutSeconds").asLong() > 60);
    }

    @Test
    void knativeNeverSendsMoreThanOneInstanceAdmits() throws IOException {
        JsonNode spec = podSpec(Path.of("infra", "knative", "service.yaml"));
        String admitted = variable(spec.at("/containers/0"), "API_STEP_HTTP_MAX_CONCURRENT_STEPS").get("value").asText();
        assertTrue(spec.get("containerConcurrency").asInt() <= Integer.parseInt(admitted));
    }

    @Test
    void theServiceAndAutoscalerPointAtTheDeployment() throws IOException {
        Map<String, JsonNode> k8s = documents(Path.of("infra", "k8s", "api-step.yaml"));
        JsonNode deployment = k8s.get("Deployment");
        assertEquals(deployment.at("/spec/template/metadata/labels"), k8s.get("Service").at("/spec/selector"));
        assertEquals(deployment.at("/spec/template/spec/containers/0/ports/0/name").asText(),
                k8s.get("Service").at("/spec/ports/0/targetPort").asText());
        assertEquals(deployment.at("/metadata/name").asText(),
                k8s.get("HorizontalPodAutoscaler").at("/spec/scaleTargetRef/name").asText());
        assertEquals("Deployment", k8s.get("HorizontalPodAutoscaler").at("/spec/scaleTargetRef/kind").asText());
    }

    private static long mebibytes(String quantity) {
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.replace("Gi", "")) * 1024;
        }
        return Long.parseLong(quantity.replace("Mi", ""));
    }

    /** Contract §11: the pods admit traffic only from the bot runtime's label (and Knative's data path). */
    @Test
    void aNetworkPolicyAdmitsOnlyTheRuntimesPodsToTheFunction() throws IOException {
        Map<String, JsonNode> k8s = documents(Path.of("infra", "k8s", "api-step.yaml"));
        JsonNode policy = k8s.get("NetworkPolicy");
        assertEquals(k8s.get("Deployment").at("/spec/template/metadata/labels"), policy.at("/spec/podSelector/matchLabels"),
                "the policy selects the Deployment's pods");
        assertEquals("[\"Ingress\"]", policy.at("/spec/policyTypes").toString());
        assertEquals(1, policy.at("/spec/ingress").size());
        assertEquals("{\"api-step/caller\":\"true\"}", policy.at("/spec/ingress/0/from/0/podSelector/matchLabels").toString());
        assertEquals(1, policy.at("/spec/ingress/0/from").size(), "no other source");
        assertEquals(k8s.get("Deployment").at("/spec/template/spec/containers/0/ports/0/name").asText(),
                policy.at("/spec/ingress/0/ports/0/port").asText());

        Map<String, JsonNode> knative = documents(Path.of("infra", "knative", "service.yaml"));
        JsonNode servicePolicy = knative.get("NetworkPolicy");
        assertEquals(knative.get("Service").at("/metadata/name").asText(),
                servicePolicy.at("/spec/podSelector/matchLabels/serving.knative.dev~1service").asText(),
                "the policy selects the Knative Service's pods");
        assertEquals("{\"api-step/caller\":\"true\"}", servicePolicy.at("/spec/ingress/0/from/0/podSelector/matchLabels").toString());
        List<String> namespaces = new ArrayList<>();
        servicePolicy.at("/spec/ingress/0/from").forEach(source -> {
            if (!source.has("podSelector")) {
                namespaces.add(source.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText());
            }
        });
        assertEquals(List.of("knative-serving", "kourier-system"), namespaces, "besides the runtime, only Knative's data path");
    }

    /**
     * The tool catalogue (contract §8) ships as the ConfigMap api-step-catalog, mounted read-only where
     * API_STEP_CATALOG points; its entry is one the function starts with (read here as kubelet lays a ConfigMap volume
     * out: each key a link into ..data), calls a public example host and holds its credential only by reference, to a
     * key of the Secret the pod reads.
     */
    @Test
    void theCatalogueIsAConfigMapMountedReadOnlyWhereTheFunctionReadsIt(@TempDir Path volumes) throws IOException {
        JsonNode firstData = null;
        for (Path manifest : MANIFESTS) {
            JsonNode configMap = documents(manifest).get("ConfigMap");
            assertEquals("api-step-catalog", configMap.at("/metadata/name").asText(), manifest.toString());
            JsonNode spec = podSpec(manifest);
            JsonNode container = spec.at("/containers/0");
            assertEquals(CATALOGUE_MOUNT, variable(container, "API_STEP_CATALOG").get("value").asText());
            JsonNode mount = container.at("/volumeMounts/0");
            assertEquals(1, container.get("volumeMounts").size());
            assertEquals(CATALOGUE_MOUNT, mount.get("mountPath").asText());
            assertTrue(mount.get("readOnly").asBoolean(), "the function never writes its catalogue");
            assertEquals(1, spec.get("volumes").size());
            assertEquals(mount.get("name").asText(), spec.at("/volumes/0/name").asText());
            assertEquals("api-step-catalog", spec.at("/volumes/0/configMap/name").asText());

            JsonNode data = configMap.get("data");
            assertTrue(data.size() >= 1, "one example entry at least");
            if (firstData != null) {
                assertEquals(firstData, data, "both manifests ship the same example");
            }
            firstData = data;
            Path volume = mountedConfigMap(volumes.resolve(manifest.getParent().getFileName()), data);
            ToolCatalogue catalogue = ToolCatalogue.load(volume, LosslessJson.newMapper(), new StepEventParser());
            assertEquals(data.size(), catalogue.entries().size(), "every key is an entry");
            for (var keys = data.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                assertTrue(key.endsWith(".json"), key + ": the function reads *.json only");
                JsonNode entry = LosslessJson.newMapper().readTree(data.get(key).asText());
                URI url = URI.create(entry.at("/step/request/url").asText().replaceAll("\\{[^}]*}", "x"));
                assertEquals("https", url.getScheme(), key);
                assertTrue(url.getHost().endsWith(".example.com"),
                        key + " calls " + url.getHost() + ", not a reserved example host");
                Matcher secrets = Pattern.compile("\\{secret:([^}]+)}").matcher(data.get(key).asText());
                while (secrets.find()) {
                    JsonNode secret = variable(container, SecretStore.ENVIRONMENT_PREFIX
                            + secrets.group(1).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
                    assertEquals("api-step", secret.at("/valueFrom/secretKeyRef/name").asText(), secret.toString());
                    assertEquals(secrets.group(1), secret.at("/valueFrom/secretKeyRef/key").asText(), secret.toString());
                }
            }
        }
    }

    /** A ConfigMap volume as kubelet writes it: the files in a timestamped directory, ..data linking to it, each key a link. */
    private static Path mountedConfigMap(Path volume, JsonNode data) throws IOException {
        Path written = Files.createDirectories(volume.resolve("..2026_12_08_01_00_00.000000001"));
        Files.createSymbolicLink(volume.resolve("..data"), written.getFileName());
        for (var keys = data.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            Files.writeString(written.resolve(key), data.get(key).asText());
            Files.createSymbolicLink(volume.resolve(key), Path.of("..data", key));
        }
        return volume;
    }

    /** MCP (contract §8): its tokens come from the same Secret as the callers', and MCP stays off (404) without them. */
    @Test
    void theMcpTokensComeFromTheSecretAndAreOptional() throws IOException {
        for (JsonNode container : containers()) {
            JsonNode tokens = variable(container, MCP_TOKENS);
            assertFalse(tokens.has("value"), "never inline");
            JsonNode reference = tokens.at("/valueFrom/secretKeyRef");
            assertEquals(variable(container, "API_STEP_CALLERS").at("/valueFrom/secretKeyRef/name").asText(),
                    reference.get("name").asText());
            assertEquals("mcp-tokens", reference.get("key").asText());
            assertTrue(reference.get("optional").asBoolean(), "a pod without MCP tokens still starts");
        }
    }

    @Test
    void theCallerTokensComeFromASecretTheOperatorMakes() throws IOException {
        for (JsonNode container : containers()) {
            JsonNode callers = variable(container, "API_STEP_CALLERS");
            assertFalse(callers.has("value"), "API_STEP_CALLERS comes from a Secret, never inline");
            assertEquals("callers", callers.at("/valueFrom/secretKeyRef/key").asText());
            assertFalse(callers.at("/valueFrom/secretKeyRef/optional").asBoolean(false), "no pod runs without tokens");
        }
        for (Path file : MANIFESTS) {
            assertFalse(documents(file).containsKey("Secret"), "no token ships with the manifests");
            assertFalse(read(file).contains("API_STEP_ANONYMOUS_CALLERS"), "no deployment admits anonymous callers");
        }
    }
}
