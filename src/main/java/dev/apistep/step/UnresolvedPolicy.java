package dev.apistep.step;

/** What a placeholder naming no variable becomes (outside the URL path, where it always fails). */
public enum UnresolvedPolicy {
    KEEP, EMPTY, ERROR
}
