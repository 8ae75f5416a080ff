package dev.apistep.step;

public enum BodyType {
    NONE, JSON, FORM, MULTIPART, TEXT, BINARY
}
