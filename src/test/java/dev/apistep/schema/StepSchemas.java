package dev.apistep.schema;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The published schemas, {@code docs/schema/step-event.schema.json} and {@code docs/schema/step-result.schema.json},
 * loaded from the files themselves (a missing file fails the test that loads it). Errors name the instance by its
 * path as the parser names fields: {@code step.options.timeoutMs}, {@code step.capture[0].path}.
 */
final class StepSchemas {

    static final Path DIRECTORY = Path.of("docs", "schema");
    static final Path EVENT = DIRECTORY.resolve("step-event.schema.json");
    static final Path RESULT = DIRECTORY.resolve("step-result.schema.json");

    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.LEGACY)
            .formatAssertionsEnabled(true)
            .build();

    private StepSchemas() {
    }

    static JsonSchema load(Path file) {
        assertTrue(Files.isRegularFile(file), file + " is missing");
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        JsonSchema schema = factory.getSchema(SchemaLocation.of(file.toAbsolutePath().toUri().toString()), CONFIG);
        schema.initializeValidators();
        return schema;
    }

    /** The instance paths of the errors, as the parser writes fields ({@code $.step.id} gives {@code step.id}). */
    static List<String> errorFields(JsonSchema schema, JsonNode instance) {
        return schema.validate(instance).stream()
                .map(ValidationMessage::getInstanceLocation)
                .map(Object::toString)
                .map(path -> path.equals("$") ? "" : path.substring(2))
                .distinct()
                .sorted()
                .collect(Collectors.toList());
    }

    static String describe(JsonSchema schema, JsonNode instance) {
        return schema.validate(instance).stream().map(ValidationMessage::getMessage).sorted()
                .collect(Collectors.joining("\n  ", "\n  ", ""));
    }
}
