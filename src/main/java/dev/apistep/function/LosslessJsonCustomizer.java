package dev.apistep.function;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.core.LosslessJson;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** Makes Quarkus' ObjectMapper, which Funqy reads events and writes results with, lossless. */
@Singleton
public class LosslessJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        LosslessJson.configure(mapper);
    }
}
