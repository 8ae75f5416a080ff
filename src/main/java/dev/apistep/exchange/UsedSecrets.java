package dev.apistep.exchange;

import java.util.HashSet;
import java.util.Set;

/** The secrets a request carries: their names (for host bindings) and values (to mask in traces). */
public record UsedSecrets(Set<String> names, Set<String> values) {

    public static final UsedSecrets NONE = new UsedSecrets(Set.of(), Set.of());

    public UsedSecrets {
        names = Set.copyOf(names);
        values = Set.copyOf(values);
    }

    /** These secrets and {@code more}. */
    public UsedSecrets and(UsedSecrets more) {
        Set<String> allNames = new HashSet<>(names);
        allNames.addAll(more.names());
        Set<String> allValues = new HashSet<>(values);
        allValues.addAll(more.values());
        return new UsedSecrets(allNames, allValues);
    }

    /** Never prints the values. */
    @Override
    public String toString() {
        return "UsedSecrets" + names;
    }
}
