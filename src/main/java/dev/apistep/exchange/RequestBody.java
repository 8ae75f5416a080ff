package dev.apistep.exchange;

import dev.apistep.core.NameValue;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A rendered body: nothing, text with its media type, or fields for a form writer. */
public sealed interface RequestBody {

    /** Bytes on the wire, for size checks; form bodies are counted as their encoded fields. */
    long size();

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

    record Multipart(List<NameValue> fields) implements RequestBody {
        public Multipart {
            fields = List.copyOf(fields);
        }

        @Override
        public long size() {
            return fieldsSize(fields);
        }
    }

    RequestBody NONE = new None();

    private static long fieldsSize(List<NameValue> fields) {
        long size = 0;
        for (NameValue field : fields) {
            size += field.name().getBytes(StandardCharsets.UTF_8).length
                    + field.value().getBytes(StandardCharsets.UTF_8).length + 2;
        }
        return size;
    }
}
