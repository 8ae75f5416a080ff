package dev.apistep.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.core.LosslessJson;
import dev.apistep.function.Invocation;
import dev.apistep.function.StepFunction;
import io.quarkus.arc.Arc;
import io.quarkus.funqy.lambda.FunqyStreamHandler;
import io.quarkus.runtime.Quarkus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The Lambda handler in JVM mode: records the invocation's request id and deadline for the function,
 * then hands the event to Funqy. An event that is not JSON at all never reaches Funqy (which would
 * answer it with a function error): the function answers it with an INVALID_EVENT result (and its log
 * line), so the bot always learns which branch to take.
 */
public class ContextAwareStreamHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = LosslessJson.newMapper();
    /** Operator settings the function refuses at start say so in a message of this form (the catalogue's among them). */
    private static final String SETTING_PREFIX = "API_STEP_";
    private final FunqyStreamHandler funqy = initialized();

    /**
     * Funqy's handler starts the application; when a setting stops it, the init error Lambda reports (what
     * {@code aws lambda invoke} shows) names the setting, the file and the field, not only "initialization failed".
     */
    private static FunqyStreamHandler initialized() {
        try {
            return new FunqyStreamHandler();
        } catch (RuntimeException failed) {
            for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
                if (cause instanceof IllegalStateException refused && refused.getMessage() != null
                        && refused.getMessage().startsWith(SETTING_PREFIX)) {
                    throw new IllegalStateException(refused.getMessage(), failed);
                }
            }
            throw failed;
        }
    }

    /** The function bean, once the application has started (Funqy's handler starts it on first use). */
    private static StepFunction function() {
        Quarkus.manualStart();
        return Arc.container().instance(StepFunction.class).get();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        Invocation.begin(new Invocation(context.getAwsRequestId(),
                System.currentTimeMillis() + context.getRemainingTimeInMillis()));
        try {
            String fault = jsonFault(event);
            if (fault == null) {
                funqy.handleRequest(new ByteArrayInputStream(event), output, context);
            } else {
                JSON.writeValue(output, function().unreadable(fault));
            }
        } finally {
            Invocation.end();
        }
    }

    /** Why {@code event} is not JSON within the limits, or null when it is. */
    private static String jsonFault(byte[] event) {
        try {
            LosslessJson.requireJson(JSON, event);
            return null;
        } catch (IOException notJson) {
            return LosslessJson.fault(notJson);
        }
    }
}
