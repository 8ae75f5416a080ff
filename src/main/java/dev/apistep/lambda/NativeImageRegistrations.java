package dev.apistep.lambda;

import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.NameValue;
import dev.apistep.core.StepError;
import dev.apistep.egress.ConnectTimeGuard;
import dev.apistep.result.Branch;
import dev.apistep.result.RequestTrace;
import dev.apistep.result.ResponseTrace;
import dev.apistep.result.StepResult;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for reflection: the result types Jackson writes (the function returns
 * {@code Object}, so Quarkus cannot infer them), JsonPath's Jackson providers, and the Vert.x service
 * provider that installs the connect-time destination guard (loaded by {@code ServiceLoader}).
 */
@RegisterForReflection(targets = {
    StepResult.class, StepError.class, ErrorCode.class, Branch.class, RequestTrace.class, ResponseTrace.class,
    NameValue.class, JacksonJsonNodeJsonProvider.class, JacksonMappingProvider.class, ConnectTimeGuard.class,
})
final class NativeImageRegistrations {

    private NativeImageRegistrations() {
    }
}
