package dev.apistep.step;

/** What the caller wants done with the step. */
public enum Mode {
    /** Perform the step. */
    RUN,
    /** Perform it and also return the as-sent request, the response and its JSON paths. */
    TEST,
    /** Send nothing; return the as-sent request only. */
    RENDER,
    /** Turn {@code step.request.curl} into a structured step. */
    IMPORT,
    /** Send nothing; return the step's recent runs (contract §6). */
    HISTORY,
    /** Send nothing; return the tools' definitions for a model (contract §8). */
    TOOLS
}
