package dev.apistep.core;

/**
 * A string as a regular expression reads it, one character at a time, each read first counted by {@code
 * perRead}. A pattern that backtracks catastrophically never returns by itself and cannot be interrupted;
 * {@code perRead} throws once its budget (reads, time) is spent, which abandons the match.
 */
public final class MeteredText implements CharSequence {

    private final String text;
    private final Runnable perRead;

    public MeteredText(String text, Runnable perRead) {
        this.text = text;
        this.perRead = perRead;
    }

    @Override
    public char charAt(int index) {
        perRead.run();
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    /** Unmetered: a matcher asks for one only to hand out what it found, never while it searches. */
    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}
