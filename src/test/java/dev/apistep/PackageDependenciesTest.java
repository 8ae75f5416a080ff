package dev.apistep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of {@code src/main/java} point one way: entry (the bindings, then the function) → pipeline →
 * stages → the step and exchange values → core. Read from the sources' references to {@code dev.apistep}
 * types (imports and qualified names), so a back-pointing import or a cycle fails here, not in a review.
 */
class PackageDependenciesTest {

    /** Top to bottom; a package may use its own layer and the layers below it, never one above. */
    private static final List<Set<String>> LAYERS = List.of(
            Set.of("lambda", "http"),
            Set.of("function"),
            Set.of("pipeline"),
            Set.of("read", "read.curl", "template", "auth", "resilience", "egress", "destination", "capture", "result",
                    "state", "tool"),
            Set.of("step", "exchange"),
            Set.of("core"));

    private static final Path SOURCES = Path.of("src/main/java/dev/apistep");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.apistep\\.((?:[a-z]\\w*\\.)*[a-z]\\w*)\\.[A-Z]");

    private static Map<String, Set<String>> uses;

    @BeforeAll
    static void readSources() throws IOException {
        uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                String from = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> targets = uses.computeIfAbsent(from, name -> new TreeSet<>());
                Matcher reference = REFERENCE.matcher(withoutPackageLine(Files.readString(file)));
                while (reference.find()) {
                    if (!reference.group(1).equals(from)) {
                        targets.add(reference.group(1));
                    }
                }
            }
        }
    }

    @Test
    void theScanSeesThePipelineUseItsStages() {
        assertTrue(uses.get("pipeline").containsAll(Set.of("read", "template", "auth", "capture", "result")),
                () -> "the scan found only " + uses.get("pipeline"));
    }

    @Test
    void everyPackageHasALayer() {
        List<String> unplaced = uses.keySet().stream().filter(name -> layer(name) < 0).toList();
        assertEquals(List.of(), unplaced, "place each new package in a layer of this test");
    }

    @Test
    void noPackageUsesALayerAboveIt() {
        List<String> upward = new ArrayList<>();
        uses.forEach((from, targets) -> targets.stream().filter(target -> layer(target) < layer(from))
                .forEach(target -> upward.add(from + " → " + target)));
        assertEquals(List.of(), upward);
    }

    @Test
    void packagesFormNoCycle() {
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            List<String> path = pathBack(start, start, new TreeSet<>());
            if (path != null) {
                cycles.add(start + " → " + String.join(" → ", path));
            }
        }
        assertEquals(List.of(), cycles);
    }

    /** A path from {@code current} back to {@code start}, or null when there is none. */
    private static List<String> pathBack(String start, String current, Set<String> seen) {
        for (String next : uses.getOrDefault(current, Set.of())) {
            if (next.equals(start)) {
                return new ArrayList<>(List.of(next));
            }
            if (seen.add(next)) {
                List<String> rest = pathBack(start, next, seen);
                if (rest != null) {
                    rest.add(0, next);
                    return rest;
                }
            }
        }
        return null;
    }

    private static int layer(String name) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String withoutPackageLine(String source) {
        return source.replaceFirst("(?m)^package [\\w.]+;", "");
    }
}
