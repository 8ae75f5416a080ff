package dev.apistep.exchange;

import dev.apistep.core.NameValue;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A rendered body: nothing, text with its media type, fields for a form writer, or bytes. */
public sealed interface RequestBody {

    /** Bytes on the wire, for size checks; form bodies are counted as their encoded fields. */
    long size();

    /** Of {@link #size}, the bytes uploaded as files or a binary body (capped by {@code maxUploadBytes}, not the text cap). */
    default long uploadSize() {
        return 0;
    }

    record None() implements RequestBody {
        @Override
        public long size() {
            return 0;
        }
    }

    record Text(String text, String mediaType) implements RequestBody {
        @Override
        public long size() {
            return text.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    record Form(List<NameValue> fields) implements RequestBody {
        public Form {
            fields = List.copyOf(fields);
        }

        @Override
        public long size() {
            return fieldsSize(fields);
        }
    }

    /**
     * multipart/form-data: {@code fields} in order; those whose index is in {@code files} are file parts (their
     * field value unused); {@code fieldTypes}: the media types of text fields that have one, by index (checked
     * when rendered: a media type without control characters).
     */
    record Multipart(List<NameValue> fields, Map<Integer, FilePart> files, Map<Integer, String> fieldTypes)
            implements RequestBody {
        public Multipart {
            fields = List.copyOf(fields);
            files = Map.copyOf(files);
            fieldTypes = Map.copyOf(fieldTypes);
        }

        public Multipart(List<NameValue> fields) {
            this(fields, Map.of(), Map.of());
        }

        /** The same parts with other file parts (a downloaded file's media type filled in). */
        public Multipart withFiles(Map<Integer, FilePart> otherFiles) {
            return new Multipart(fields, otherFiles, fieldTypes);
        }

        @Override
        public long size() {
            return fieldsSize(fields) + uploadSize();
        }

        @Override
        public long uploadSize() {
            return files.values().stream().mapToLong(file -> file.bytes().length).sum();
        }
    }

    /**
     * A file part's bytes, its filename (null for none) and its media type; or, before it is downloaded, the URL
     * it comes from ({@code source}; no bytes yet, the media type null when the step gave none) and the secrets
     * its URL carries ({@code sourceSecrets}, for their host bindings).
     */
    record FilePart(byte[] bytes, String filename, String mediaType, URI source, UsedSecrets sourceSecrets) {
        public FilePart {
            Objects.requireNonNull(bytes, "bytes");
            if (source == null) {
                Objects.requireNonNull(mediaType, "mediaType");
            }
            sourceSecrets = sourceSecrets == null ? UsedSecrets.NONE : sourceSecrets;
        }

        public FilePart(byte[] bytes, String filename, String mediaType) {
            this(bytes, filename, mediaType, null, UsedSecrets.NONE);
        }
    }

    /** Bytes sent as they are, with their media type; or, before it is downloaded, the URL they come from. */
    record Binary(byte[] bytes, String mediaType, URI source, UsedSecrets sourceSecrets) implements RequestBody {
        public Binary {
            Objects.requireNonNull(bytes, "bytes");
            if (source == null) {
                Objects.requireNonNull(mediaType, "mediaType");
            }
            sourceSecrets = sourceSecrets == null ? UsedSecrets.NONE : sourceSecrets;
        }

        public Binary(byte[] bytes, String mediaType) {
            this(bytes, mediaType, null, UsedSecrets.NONE);
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public long uploadSize() {
            return bytes.length;
        }
    }

    RequestBody NONE = new None();

    /** The secrets the URLs of files still to be downloaded carry. */
    default UsedSecrets sourceSecrets() {
        UsedSecrets all = UsedSecrets.NONE;
        if (this instanceof Binary binary) {
            all = binary.sourceSecrets();
        } else if (this instanceof Multipart multipart) {
            for (FilePart file : multipart.files().values()) {
                all = all.and(file.sourceSecrets());
            }
        }
        return all;
    }

    /** Whether some of the bytes are still to be downloaded from a URL. */
    default boolean hasSources() {
        return (this instanceof Binary binary && binary.source() != null)
                || (this instanceof Multipart multipart && multipart.files().values().stream().anyMatch(file -> file.source() != null));
    }

    private static long fieldsSize(List<NameValue> fields) {
        long size = 0;
        for (NameValue field : fields) {
            size += field.name().getBytes(StandardCharsets.UTF_8).length
                    + field.value().getBytes(StandardCharsets.UTF_8).length + 2;
        }
        return size;
    }
}
