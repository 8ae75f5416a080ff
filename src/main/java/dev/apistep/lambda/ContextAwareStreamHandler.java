package dev.apistep.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.StepError;
import dev.apistep.function.Invocation;
import dev.apistep.result.ResultAssembler;
import io.quarkus.funqy.lambda.FunqyStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The Lambda handler in JVM mode: records the invocation's request id and deadline for the function,
 * then hands the event to Funqy. An event that is not JSON at all never reaches Funqy (which would
 * answer it with a function error): it gets an INVALID_EVENT result, so the bot always learns which
 * branch to take.
 */
public class ContextAwareStreamHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = LosslessJson.newMapper();
    private final FunqyStreamHandler funqy = new FunqyStreamHandler();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        try {
            LosslessJson.requireJson(JSON, event);
        } catch (IOException notJson) {
            JSON.writeValue(output, new ResultAssembler(JSON).unread(StepError.unreadableEvent()));
            return;
        }
        Invocation.begin(new Invocation(context.getAwsRequestId(),
                System.currentTimeMillis() + context.getRemainingTimeInMillis()));
        try {
            funqy.handleRequest(new ByteArrayInputStream(event), output, context);
        } finally {
            Invocation.end();
        }
    }
}
