package dev.apistep.result;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which way the flow goes next. */
public enum Branch {
    SUCCESS, FAILURE, STOP;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
