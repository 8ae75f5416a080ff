package dev.apistep.core;

import java.util.Objects;

/** A header, query parameter or form field: a name and a value, both templates until rendered. */
public record NameValue(String name, String value) {

    public NameValue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
