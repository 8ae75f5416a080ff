package dev.apistep.step;

import java.util.List;
import java.util.Objects;

/** {@code step.options}, defaults applied. */
public record StepOptions(
        int timeoutMs,
        boolean followRedirects,
        int maxRedirects,
        List<StatusRange> successStatuses,
        RetryOptions retry,
        OnError onError,
        long maxResponseBytes,
        UnresolvedPolicy unresolvedVariables,
        long maxUploadBytes) {

    /** The whole step, retries and redirects included, never takes longer than this. */
    public static final int MAX_TIMEOUT_MS = 60_000;
    public static final int DEFAULT_MAX_REDIRECTS = 5;
    /** More hops than this is a loop or an abuse, whatever the step asks. */
    public static final int MAX_REDIRECTS = 20;
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
    /** Keeps the result well under Lambda's 6 MB response limit even when the whole body is captured. */
    public static final long MAX_RESPONSE_BYTES = 4L * 1024 * 1024;

    /** Files and binary bodies (contract §5): what a bot forwards, a photo, a voice note, a PDF. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 10L * 1024 * 1024;
    public static final long MAX_UPLOAD_BYTES = 50L * 1024 * 1024;

    public static final StepOptions DEFAULTS = new StepOptions(MAX_TIMEOUT_MS, true, DEFAULT_MAX_REDIRECTS,
            List.of(StatusRange.SUCCESSFUL), RetryOptions.NONE, OnError.FAILURE, DEFAULT_MAX_RESPONSE_BYTES, UnresolvedPolicy.KEEP);

    public StepOptions {
        successStatuses = List.copyOf(successStatuses);
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(onError, "onError");
        Objects.requireNonNull(unresolvedVariables, "unresolvedVariables");
    }

    /** Options without an upload cap of their own: the default one. */
    public StepOptions(int timeoutMs, boolean followRedirects, int maxRedirects, List<StatusRange> successStatuses,
            RetryOptions retry, OnError onError, long maxResponseBytes, UnresolvedPolicy unresolvedVariables) {
        this(timeoutMs, followRedirects, maxRedirects, successStatuses, retry, onError, maxResponseBytes,
                unresolvedVariables, DEFAULT_MAX_UPLOAD_BYTES);
    }

    public boolean isSuccess(int status) {
        return successStatuses.stream().anyMatch(range -> range.contains(status));
    }
}
