package dev.apistep.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.StepFailure;
import dev.apistep.read.Credentials;
import dev.apistep.read.StepEventParser;
import dev.apistep.step.Step;
import dev.apistep.step.ToolSpec;
import dev.apistep.template.Template;
import dev.apistep.tool.ToolDefinitions;
import dev.apistep.tool.ToolSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The tools a deployment ships (contract §8, {@code API_STEP_CATALOG}): a directory of entry files ({@code *.json},
 * read in name order) or one file {@code {"entries": [...]}}. An entry is {@code {"step": {... "tool" ...},
 * "variables": {...}}}; every entry is read at start like a step, and a bad one stops the function with the file
 * and the field named. Credentials in it may only be references ({@code {secret:NAME}} or a variable).
 */
public final class ToolCatalogue {

    private static final int MAX_ENTRIES = 500;

    /** One tool: the step it runs and the defaults of its variables. */
    public record Entry(String source, Step step, ObjectNode defaults) {

        public ToolSpec tool() {
            return step.tool();
        }

        public ToolDefinitions.Definition definition(Set<String> bound) {
            return new ToolDefinitions.Definition(tool(), ToolSchemas.input(tool(), defaults, bound),
                    ToolSchemas.output(step.capture()));
        }
    }

    public static final ToolCatalogue EMPTY = new ToolCatalogue(Map.of());

    private final Map<String, Entry> entries;

    ToolCatalogue(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    /** The catalogue at {@code location}; fails with the file and field named when an entry is not a valid tool. */
    public static ToolCatalogue load(Path location, ObjectMapper mapper, StepEventParser parser) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Source source : sources(location, mapper)) {
            add(source, parser, entries);
        }
        return new ToolCatalogue(entries);
    }

    public Entry find(String name) {
        return entries.get(name);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Every tool in name order. */
    public List<Entry> entries() {
        return entries.values().stream().sorted(java.util.Comparator.comparing(entry -> entry.tool().name())).toList();
    }

    private record Source(String name, JsonNode entry) {
    }

    private static List<Source> sources(Path location, ObjectMapper mapper) {
        List<Source> sources = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.list(location)) {
                for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".json")).sorted().toList()) {
                    sources.add(new Source(file.getFileName().toString(), read(file, mapper)));
                }
            } catch (IOException unreadable) {
                throw fault(location.toString(), "cannot be listed: " + unreadable.getMessage());
            }
        } else {
            JsonNode file = read(location, mapper);
            JsonNode list = file.path("entries");
            if (!list.isArray()) {
                throw fault(location.getFileName().toString(), "must be {\"entries\": [...]} (or name a directory of entry files)");
            }
            for (int i = 0; i < list.size(); i++) {
                sources.add(new Source(location.getFileName() + " entries[" + i + "]", list.get(i)));
            }
        }
        if (sources.size() > MAX_ENTRIES) {
            throw fault(location.toString(), "holds more than " + MAX_ENTRIES + " entries");
        }
        return sources;
    }

    private static JsonNode read(Path file, ObjectMapper mapper) {
        try {
            return mapper.readTree(Files.readString(file));
        } catch (IOException unreadable) {
            // Only where: a parser's message quotes the text it met, which may be a credential.
            String where = unreadable instanceof com.fasterxml.jackson.core.JsonProcessingException json
                    && json.getLocation() != null
                    ? " at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() : "";
            throw fault(file.getFileName().toString(), "is not readable JSON" + where);
        }
    }

    private static void add(Source source, StepEventParser parser, Map<String, Entry> entries) {
        JsonNode entry = source.entry();
        if (!entry.isObject() || !entry.path("step").isObject()) {
            throw fault(source.name(), "must be an object {\"step\": {...}, \"variables\": {...}}");
        }
        JsonNode defaults = entry.path("variables");
        if (!defaults.isMissingNode() && !defaults.isObject()) {
            throw fault(source.name(), "variables must be an object");
        }
        ObjectNode event = JsonNodeFactory.instance.objectNode().put("mode", "render");
        event.set("step", entry.get("step"));
        event.set("variables", defaults.isObject() ? defaults : JsonNodeFactory.instance.objectNode());
        Step step;
        try {
            step = parser.parse(event).step();
        } catch (StepFailure invalid) {
            throw fault(source.name(), invalid.getMessage());
        }
        if (step.tool() == null) {
            throw fault(source.name(), "step.tool is required in a catalogue entry");
        }
        credentialsByReference(step, event.get("variables"), source.name());
        Entry previous = entries.putIfAbsent(step.tool().name(),
                new Entry(source.name(), step, (ObjectNode) event.get("variables").deepCopy()));
        if (previous != null) {
            throw fault(source.name(), "step.tool.name " + step.tool().name() + " is also the name of " + previous.source());
        }
    }

    /**
     * A credential written into a shipped file would be in every copy of the deployment, and a default would be shown
     * to every model: wherever the parsed step carries one (auth, also from a cURL command; TLS keys; headers and
     * query parameters named like credentials; the URL's user info), it must come through a placeholder, and no
     * variable it names may have a default in the entry.
     */
    private static void credentialsByReference(Step step, JsonNode defaults, String source) {
        Map<String, String> credentials = Credentials.of(step.request(), step.auth(), step.tls());
        credentials.forEach((field, template) -> {
            if (template == null || template.isEmpty()) {
                return;
            }
            List<Template.Placeholder> placeholders = Template.parse(template).parts().stream()
                    .filter(Template.Placeholder.class::isInstance).map(Template.Placeholder.class::cast).toList();
            if (placeholders.isEmpty()) {
                throw fault(source, field + " must be a reference ({secret:NAME} or a variable), not the credential itself");
            }
            for (Template.Placeholder placeholder : placeholders) {
                if (!placeholder.secret() && defaults.has(Template.rootOf(placeholder.path()))) {
                    throw fault(source, field + " uses the variable " + Template.rootOf(placeholder.path())
                            + ", which the entry's variables give a default: a credential's default would be shown to"
                            + " every model; use {secret:NAME}");
                }
            }
        });
    }

    private static IllegalStateException fault(String source, String problem) {
        return new IllegalStateException("API_STEP_CATALOG: " + source + ": " + problem);
    }
}
