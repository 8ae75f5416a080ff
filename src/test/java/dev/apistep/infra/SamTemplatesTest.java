package dev.apistep.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.apistep.core.LosslessJson;
import dev.apistep.pipeline.StepConfig;
import dev.apistep.pipeline.ToolCatalogue;
import dev.apistep.read.StepEventParser;
import dev.apistep.step.StepOptions;
import dev.apistep.support.PackagedFunction;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SAM templates in infra/sam read as data: what a wrong edit would break (the handler, the runtime, the
 * timeout against the step's cap, SnapStart, the alarm's metric against what the function emits, the queue's
 * dead-letter queue, the environment variables the function reads).
 */
class SamTemplatesTest {

    private static final Path SAM = Path.of("infra", "sam");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> VARIANTS = List.of("jvm.yaml", "native.yaml", "container.yaml");
    private static final String CATALOGUE_LAYER = "CatalogueLayer";

    private static JsonNode template(String name) throws IOException {
        return YAML.readTree(SAM.resolve(name).toFile());
    }

    private static JsonNode function(String variant) throws IOException {
        JsonNode function = template(variant).at("/Resources/ApiStepFunction");
        assertEquals("AWS::Serverless::Function", function.get("Type").asText());
        return function;
    }

    @Test
    void theJvmFunctionRunsTheHandlerTheBlackBoxTestRunsWithSnapStartBehindAnAlias() throws Exception {
        JsonNode properties = function("jvm.yaml").get("Properties");
        assertEquals("java25", properties.get("Runtime").asText());
        assertEquals(PackagedFunction.HANDLER, properties.get("Handler").asText());
        Class<?> handler = Class.forName(PackagedFunction.HANDLER.substring(0, PackagedFunction.HANDLER.indexOf("::")));
        assertNotNull(handler.getMethod("handleRequest", java.io.InputStream.class, java.io.OutputStream.class,
                com.amazonaws.services.lambda.runtime.Context.class));
        assertEquals("PublishedVersions", properties.at("/SnapStart/ApplyOn").asText());
        assertEquals("live", properties.get("AutoPublishAlias").asText());
        assertEquals("../../target/function.zip", properties.get("CodeUri").asText());
        // SnapStart on java25 compiles with full tiering before the snapshot (the priming steps): nothing caps it at C1.
        assertFalse(properties.at("/Environment/Variables/JAVA_TOOL_OPTIONS").asText().contains("TieredStopAtLevel"));
    }

    @Test
    void theNativeFunctionIsTheZippedExecutableOnAmazonLinux2023() throws Exception {
        JsonNode properties = function("native.yaml").get("Properties");
        assertEquals("provided.al2023", properties.get("Runtime").asText());
        assertEquals("../../target/function.zip", properties.get("CodeUri").asText());
        assertTrue(properties.path("SnapStart").isMissingNode(), "SnapStart is for Java runtimes only");
        assertEquals("true", properties.at("/Environment/Variables/DISABLE_SIGNAL_HANDLERS").asText());
    }

    @Test
    void theContainerFunctionIsBuiltFromTheNativeLambdaDockerfile() throws Exception {
        JsonNode function = function("container.yaml");
        assertEquals("Image", function.at("/Properties/PackageType").asText());
        assertTrue(function.at("/Properties/Runtime").isMissingNode());
        Path context = SAM.resolve(function.at("/Metadata/DockerContext").asText()).normalize();
        Path dockerfile = context.resolve(function.at("/Metadata/Dockerfile").asText());
        String text = Files.readString(dockerfile);
        assertTrue(text.contains("FROM public.ecr.aws/lambda/provided:al2023"), dockerfile.toString());
        assertTrue(text.contains("COPY target/*-runner ${LAMBDA_RUNTIME_DIR}/bootstrap"), text);
    }

    @Test
    void theJvmDockerfileStartsTheSameHandler() throws Exception {
        String text = Files.readString(Path.of("src", "main", "docker", "Dockerfile.jvm-lambda"));
        assertTrue(text.contains("FROM public.ecr.aws/lambda/java:21"));
        assertTrue(text.contains("CMD [\"" + PackagedFunction.HANDLER + "\"]"), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm.yaml", "native.yaml", "container.yaml"})
    void theFunctionTimeoutIsAlwaysAboveTheStepsOwnCap(String variant) throws Exception {
        JsonNode template = template(variant);
        JsonNode properties = function(variant).get("Properties");
        assertEquals("Timeout", properties.at("/Timeout/Ref").asText());
        assertEquals("MemorySize", properties.at("/MemorySize/Ref").asText());
        long stepCapSeconds = StepOptions.MAX_TIMEOUT_MS / 1000;
        JsonNode timeout = template.at("/Parameters/Timeout");
        assertTrue(timeout.get("MinValue").asLong() > stepCapSeconds, timeout.toString());
        assertTrue(timeout.get("Default").asLong() > stepCapSeconds, timeout.toString());
        // Lambda's advice for SQS triggers: visibility at least six times the function timeout.
        long visibility = template("operations.yaml").at("/Resources/StepQueue/Properties/VisibilityTimeout").asLong();
        assertTrue(visibility >= 6 * timeout.get("MaxValue").asLong(), "visibility " + visibility);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm.yaml", "native.yaml", "container.yaml"})
    void logsGoToAGroupWithTheRetentionParameter(String variant) throws Exception {
        JsonNode template = template(variant);
        assertEquals("LogRetentionDays", template.at("/Resources/LogGroup/Properties/RetentionInDays/Ref").asText());
        assertEquals("LogGroup", function(variant).at("/Properties/LoggingConfig/LogGroup/Ref").asText());
        assertEquals("ReservedConcurrency", function(variant)
                .at("/Properties/ReservedConcurrentExecutions/Fn::If/1/Ref").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm.yaml", "native.yaml", "container.yaml"})
    void everyEnvironmentVariableIsOneTheFunctionReads(String variant) throws Exception {
        Set<String> readable = ConfigEnvironment.variables();
        JsonNode variables = function(variant).at("/Properties/Environment/Variables");
        Set<String> set = new HashSet<>();
        for (Iterator<String> names = variables.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            set.add(name);
            if (name.startsWith("API_STEP_")) {
                assertTrue(readable.contains(name), name + " is not read by the function; it reads " + readable);
            }
        }
        assertTrue(set.containsAll(Set.of("API_STEP_ALLOWED_DESTINATIONS", "API_STEP_BOUND_SECRETS",
                "API_STEP_WEBHOOK_SECRET", "API_STEP_CALLERS")), set.toString());
        assertFalse(set.contains("API_STEP_ANONYMOUS_CALLERS"), "no template admits anonymous callers");
        assertEquals("CallerTokens", variables.at("/API_STEP_CALLERS/Ref").asText());
        assertEquals("AllowedDestinations", variables.at("/API_STEP_ALLOWED_DESTINATIONS/Ref").asText());
    }

    @Test
    void theVariantsOfferTheSameParametersAndPassThemToTheSharedOperations() throws Exception {
        JsonNode jvm = template("jvm.yaml");
        for (String variant : VARIANTS) {
            JsonNode template = template(variant);
            ObjectNode offered = jvm.get("Parameters").deepCopy();
            if (variant.equals("container.yaml")) {
                offered.remove(CATALOGUE_LAYER); // Lambda takes no layers on an image function: the image holds the files
            }
            assertEquals(offered, template.get("Parameters"), variant);
            assertEquals(jvm.at("/Resources/Operations"), template.at("/Resources/Operations"), variant);
        }
        JsonNode operations = template("operations.yaml");
        JsonNode nested = jvm.at("/Resources/Operations/Properties");
        assertTrue(Files.exists(SAM.resolve(nested.get("Location").asText())));
        for (Iterator<String> names = nested.get("Parameters").fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertFalse(operations.at("/Parameters/" + name).isMissingNode(), name + " is not a parameter of operations.yaml");
        }
        for (Iterator<String> names = operations.get("Parameters").fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertTrue(operations.at("/Parameters/" + name).has("Default") || nested.at("/Parameters").has(name),
                    name + " must be passed");
        }
        assertEquals("ApiStepFunctionAliaslive", nested.at("/Parameters/AliasArn/Ref").asText(),
                "triggers invoke the alias SAM creates for AutoPublishAlias: live");
        assertEquals("ApiStepFunctionRole", nested.at("/Parameters/FunctionRole/Ref").asText());
    }

    /**
     * The tool catalogue (contract §8) ships with the code, under catalog/ (/var/task/catalog), or in a layer
     * (/opt/catalog), and API_STEP_CATALOG names where: ToolCatalogue, else /opt/catalog when only a layer is given,
     * else nothing (empty: no catalogue). Only absolute paths are taken.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jvm.yaml", "native.yaml", "container.yaml"})
    void theCatalogueSettingNamesWhereTheCatalogueShips(String variant) throws Exception {
        JsonNode template = template(variant);
        JsonNode parameter = template.at("/Parameters/ToolCatalogue");
        assertEquals("", parameter.get("Default").asText(), "no catalogue unless one is shipped");
        Pattern allowed = Pattern.compile(parameter.get("AllowedPattern").asText());
        for (String path : List.of("", "/var/task/catalog", "/opt/catalog", "/var/task/catalog/entries.json")) {
            assertTrue(allowed.matcher(path).matches(), path);
        }
        assertFalse(allowed.matcher("catalog").matches(), "a relative path would depend on the runtime's working directory");
        JsonNode properties = function(variant).get("Properties");
        JsonNode setting = properties.at("/Environment/Variables/API_STEP_CATALOG");
        if (variant.equals("container.yaml")) {
            assertEquals("ToolCatalogue", setting.get("Ref").asText());
            assertTrue(properties.path("Layers").isMissingNode());
            return;
        }
        assertEquals("[\"CatalogueFromLayer\",\"/opt/catalog\",{\"Ref\":\"ToolCatalogue\"}]", setting.get("Fn::If").toString());
        assertEquals("{\"Fn::And\":[{\"Condition\":\"HasCatalogueLayer\"},{\"Fn::Equals\":[{\"Ref\":\"ToolCatalogue\"},\"\"]}]}",
                template.at("/Conditions/CatalogueFromLayer").toString());
        assertEquals("{\"Fn::Not\":[{\"Fn::Equals\":[{\"Ref\":\"" + CATALOGUE_LAYER + "\"},\"\"]}]}",
                template.at("/Conditions/HasCatalogueLayer").toString());
        assertEquals("[\"HasCatalogueLayer\",[{\"Ref\":\"" + CATALOGUE_LAYER + "\"}],{\"Ref\":\"AWS::NoValue\"}]",
                properties.at("/Layers/Fn::If").toString());
    }

    /**
     * The zip and the images carry the same extra files: Quarkus puts src/main/zip.jvm (zip.native) at function.zip's
     * root, and each Lambda image build copies that directory to its task root. What ships there as catalog/ is a
     * catalogue the function starts with.
     */
    @ParameterizedTest
    @CsvSource({"Dockerfile.jvm-lambda, zip.jvm", "Dockerfile.native-lambda, zip.native"})
    void theLambdaImagesCarryWhatTheZipCarries(String dockerfile, String zipDirectory) throws Exception {
        String text = Files.readString(Path.of("src", "main", "docker", dockerfile));
        assertTrue(text.contains("\nCOPY src/main/" + zipDirectory + "/ ${LAMBDA_TASK_ROOT}/\n"), text);
        Path shipped = Path.of("src", "main", zipDirectory, "catalog");
        assertTrue(Files.isDirectory(shipped), "an image build fails on a COPY of a directory that is not there");
        assertTrue(ToolCatalogue.load(shipped, LosslessJson.newMapper(), new StepEventParser()).isEmpty(),
                "the repository ships no tools; the note there is not read");
    }

    @Test
    void theFailureAlarmWatchesTheMetricTheFunctionEmitsAndEmailsTheTopic() throws Exception {
        JsonNode operations = template("operations.yaml").get("Resources");
        JsonNode alarm = operations.at("/FailedStepsAlarm/Properties");
        assertEquals(defaultOf(StepConfig.Metrics.class, "namespace"), alarm.get("Namespace").asText());
        assertEquals("steps", alarm.get("MetricName").asText());
        assertEquals("[{\"Name\":\"service\",\"Value\":{\"Ref\":\"FunctionName\"}},{\"Name\":\"branch\",\"Value\":\"failure\"}]",
                alarm.get("Dimensions").toString());
        assertTrue(defaultOf(StepConfig.Metrics.class, "service").contains("AWS_LAMBDA_FUNCTION_NAME"),
                "the service dimension is the function's name, which the alarm filters on");
        for (String name : List.of("FailedStepsAlarm", "FunctionErrorsAlarm", "DeadLetterAlarm")) {
            assertEquals("AlertTopic", operations.at("/" + name + "/Properties/AlarmActions/0/Ref").asText(), name);
        }
        assertEquals("email", operations.at("/AlertTopic/Properties/Subscription/0/Protocol").asText());
        assertEquals("AlertEmail", operations.at("/AlertTopic/Properties/Subscription/0/Endpoint/Ref").asText());
    }

    @Test
    void theQueueRetriesReportedFailuresAndEndsInItsDeadLetterQueue() throws Exception {
        JsonNode operations = template("operations.yaml").get("Resources");
        JsonNode redrive = operations.at("/StepQueue/Properties/RedrivePolicy");
        assertEquals("[\"DeadLetterQueue\",\"Arn\"]", redrive.at("/deadLetterTargetArn/Fn::GetAtt").toString());
        assertTrue(redrive.get("maxReceiveCount").asInt() >= 2);
        JsonNode trigger = operations.at("/QueueTrigger/Properties");
        assertEquals("[\"StepQueue\",\"Arn\"]", trigger.at("/EventSourceArn/Fn::GetAtt").toString());
        assertEquals("[\"ReportBatchItemFailures\"]", trigger.get("FunctionResponseTypes").toString());
        assertEquals("AliasArn", trigger.at("/FunctionName/Ref").asText());
        assertEquals("[\"StepQueue\",\"Arn\"]",
                operations.at("/QueueConsumerPolicy/Properties/PolicyDocument/Statement/0/Resource/Fn::GetAtt").toString());
    }

    @Test
    void aPublicFunctionUrlIsOnlyInvocableThroughTheUrl() throws Exception {
        JsonNode operations = template("operations.yaml").get("Resources");
        assertEquals("Qualifier", operations.at("/FunctionUrl/Properties/Qualifier/Ref").asText());
        assertEquals("NONE", operations.at("/PublicUrlPermission/Properties/FunctionUrlAuthType").asText());
        assertEquals("lambda:InvokeFunction", operations.at("/PublicUrlInvokePermission/Properties/Action").asText());
        assertTrue(operations.at("/PublicUrlInvokePermission/Properties/InvokedViaFunctionUrl").asBoolean(),
                "without it, anyone could invoke the function directly");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm.yaml", "native.yaml", "container.yaml", "operations.yaml"})
    void everyConditionAndReferenceResolves(String name) throws Exception {
        JsonNode template = template(name);
        Set<String> declared = new HashSet<>();
        template.path("Parameters").fieldNames().forEachRemaining(declared::add);
        template.path("Resources").fieldNames().forEachRemaining(declared::add);
        declared.addAll(Set.of("AWS::NoValue", "AWS::Region", "AWS::AccountId", "AWS::StackName",
                "ApiStepFunctionRole", "ApiStepFunctionAliaslive"));
        Set<String> conditions = new HashSet<>();
        template.path("Conditions").fieldNames().forEachRemaining(conditions::add);
        template.path("Resources").forEach(resource -> {
            if (resource.has("Condition")) {
                assertTrue(conditions.contains(resource.get("Condition").asText()), resource.toString());
            }
        });
        template.findValues("Ref").forEach(ref -> assertTrue(declared.contains(ref.asText()), name + ": Ref " + ref));
        template.findValues("Fn::GetAtt").forEach(ref -> assertTrue(declared.contains(ref.get(0).asText()), name + ": " + ref));
    }

    private static String defaultOf(Class<?> mapping, String property) throws NoSuchMethodException {
        return mapping.getMethod(property).getAnnotation(WithDefault.class).value();
    }
}
