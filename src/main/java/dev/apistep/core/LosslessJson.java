package dev.apistep.core;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;

/**
 * JSON without loss: decimals stay exact {@link java.math.BigDecimal}s with their trailing zeros, big
 * integers stay exact, text after a document is an error, and nothing is coerced between strings and numbers. Events, variables, response
 * bodies and results all go through a mapper configured here.
 */
public final class LosslessJson {

    /** A hostile document gets a clean parse error instead of a deep recursion. */
    public static final int MAX_NESTING_DEPTH = 200;
    /** Longer numbers than any API sends; bounds the cost of parsing one. */
    public static final int MAX_NUMBER_LENGTH = 1000;
    /** Above the largest response body a step may read (4 MiB). */
    public static final int MAX_STRING_LENGTH = 5_000_000;

    private LosslessJson() {
    }

    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .build());
        return mapper
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    public static ObjectMapper newMapper() {
        return configure(new ObjectMapper());
    }

    /** A value this project built (a result, a tree) as JSON text: failing to write one is a bug, not input. */
    public static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException unwritable) {
            throw new IllegalStateException("a result must always be writable as JSON", unwritable);
        }
    }

    /**
     * Fails unless {@code bytes} hold one JSON value, read token by token under the mapper's limits (nesting,
     * number and string length) and, like the mapper, nothing after it; no tree is built. Lets a binding
     * answer an unreadable event itself before the framework parses it (and logs what it could not read).
     */
    public static void requireJson(ObjectMapper mapper, byte[] bytes) throws IOException {
        try (JsonParser parser = mapper.getFactory().createParser(bytes)) {
            if (parser.nextToken() == null) {
                throw new JsonParseException(parser, "no JSON value");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "more than one JSON value");
            }
        }
    }
}
