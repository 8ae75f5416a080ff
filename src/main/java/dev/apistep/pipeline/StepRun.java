package dev.apistep.pipeline;

import dev.apistep.result.StepResult;
import java.net.URI;

/** What one run of the pipeline gives its entry point: the result, and where the event asked it delivered (or null). */
public record StepRun(StepResult result, URI callback) {
}
