package dev.apistep.tool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apistep.core.ErrorCode;
import dev.apistep.core.LosslessJson;
import dev.apistep.core.StepError;
import dev.apistep.core.Warnings;
import dev.apistep.result.Branch;
import dev.apistep.result.SecretMasker;
import dev.apistep.result.StepResult;
import dev.apistep.step.ToolSpec;
import dev.apistep.step.ToolSpec.ToolMessages;
import dev.apistep.step.UnresolvedPolicy;
import dev.apistep.template.TemplateRenderer;
import dev.apistep.template.Variables;

/**
 * What a tool call answers the model (contract §8): {@code text}, the tool's {@code result} template over the
 * variables after capture (or the captured variables as compact JSON), at most {@code maxResultChars}, secrets
 * masked; on failure a short sentence with the error code and nothing internal. {@code structured} is what the
 * step captured, masked the same way; {@code messages} what a voice runtime says, rendered, the closing one by outcome.
 */
public record ToolAnswer(String text, boolean isError, ObjectNode structured, ObjectNode messages) {

    private static final String CUT = "… [cut at %d of %d characters]";

    /** {@code startVariables}: the variables the call began with, for the start and delayed messages. */
    public static ToolAnswer of(ToolSpec tool, StepResult result, ObjectNode startVariables, SecretMasker masker,
            ObjectMapper mapper) {
        boolean failed = result.branch() != Branch.SUCCESS || result.error() != null;
        ObjectNode variables = result.variables() == null ? JsonNodeFactory.instance.objectNode() : result.variables();
        ObjectNode changes = result.changes() == null ? JsonNodeFactory.instance.objectNode() : result.changes();
        String text;
        if (failed) {
            text = failure(result);
        } else if (tool.result() != null) {
            text = render(tool.result(), variables);
        } else {
            text = LosslessJson.write(mapper, changes);
        }
        return new ToolAnswer(cut(masker.maskValues(text), tool.maxResultChars()), failed,
                (ObjectNode) masker.maskTree(changes), messages(tool.messages(), startVariables, variables, failed, masker));
    }

    /** An answer for a call that could not be run at all (no such tool, too many calls): the error, said plainly. */
    public static ToolAnswer refused(StepError error) {
        return new ToolAnswer(sentence(error, null), true, JsonNodeFactory.instance.objectNode(), null);
    }

    private static String failure(StepResult result) {
        StepError error = result.error();
        if (error == null) {
            return "Error: the tool ended on the " + result.branch().json() + " branch"
                    + (result.status() == null ? "." : " (the API answered with status " + result.status() + ").");
        }
        return sentence(error, result.status());
    }

    /**
     * A model can act on its own mistakes (arguments, an unknown tool), so those messages are given whole; for
     * everything else only the code and what it means, never a host, an address or a server's words.
     */
    private static String sentence(StepError error, Integer status) {
        String meaning = switch (error.code()) {
            case INVALID_ARGUMENTS -> error.message();
            case HTTP_STATUS -> "the API answered with status " + status;
            case TIMEOUT -> "the API did not answer in time";
            case RATE_LIMITED, CIRCUIT_OPEN -> "the API is busy or down; try again later";
            case DNS_FAILURE, CONNECT_FAILURE, TLS_FAILURE -> "the API could not be reached";
            case BLOCKED_DESTINATION -> "the API's address is not allowed";
            case RESPONSE_TOO_LARGE -> "the API's answer was too large";
            case AUTH_FAILURE -> "the API refused the tool's credentials";
            case IN_PROGRESS -> "the same call is still running; try again later";
            default -> "the tool is not usable as configured";
        };
        return "Error " + error.code().name() + ": " + meaning
                + (error.code().retryable() && error.code() != ErrorCode.IN_PROGRESS ? " (retryable)." : ".");
    }

    private static ObjectNode messages(ToolMessages spoken, ObjectNode startVariables, ObjectNode endVariables,
            boolean failed, SecretMasker masker) {
        if (spoken.isEmpty()) {
            return null;
        }
        ObjectNode messages = JsonNodeFactory.instance.objectNode();
        if (spoken.start() != null) {
            messages.put("start", masker.maskValues(render(spoken.start(), startVariables)));
        }
        if (spoken.delayed() != null) {
            messages.putObject("delayed").put("afterMs", spoken.delayedAfterMs())
                    .put("text", masker.maskValues(render(spoken.delayed(), startVariables)));
        }
        String closing = failed ? spoken.failed() : spoken.complete();
        if (closing != null) {
            messages.put(failed ? "failed" : "complete", masker.maskValues(render(closing, endVariables)));
        }
        return messages;
    }

    /** Spoken templates name no secret (refused when the step is read), so no secret store is needed. */
    public static String render(String template, ObjectNode variables) {
        return new TemplateRenderer(new Variables(variables), UnresolvedPolicy.KEEP, new Warnings(), null)
                .text(template, "step.tool");
    }

    /** Cut visibly: the marker says where and how long the whole was, within the limit. */
    static String cut(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        String marker = String.format(CUT, maxChars, text.length());
        int keep = Math.max(0, maxChars - marker.length());
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;
        }
        return (text.substring(0, keep) + marker).substring(0, Math.min(maxChars, keep + marker.length()));
    }
}
