package dev.apistep.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What a step noticed without failing: kept in order, each said once. */
public final class Warnings {

    /** A step that repeats one mistake in a loop still answers with a readable, bounded list. */
    private static final int MAX_WARNINGS = 50;

    private final Set<String> messages = new LinkedHashSet<>();

    public void add(String message) {
        if (messages.size() < MAX_WARNINGS) {
            messages.add(message);
        }
    }

    public List<String> list() {
        return List.copyOf(new ArrayList<>(messages));
    }
}
