package dev.apistep.tool;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code format}s checked: date, date-time, time (RFC 3339), email, uri, uuid; any other is an annotation.
 * Each check is linear in the string's length (patterns without ambiguous repetition, lengths bounded first).
 */
final class Formats {

    private static final String DATE = "([0-9]{4})-([0-9]{2})-([0-9]{2})";
    private static final String TIME = "([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.[0-9]+)?(?:[Zz]|[+-]([0-9]{2}):([0-9]{2}))";
    private static final Pattern FULL_DATE = Pattern.compile(DATE);
    private static final Pattern FULL_TIME = Pattern.compile(TIME);
    private static final Pattern DATE_TIME = Pattern.compile(DATE + "[Tt]" + TIME);
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final String ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final Pattern EMAIL = Pattern.compile(ATOM + "(?:\\." + ATOM + ")*@" + LABEL + "(?:\\." + LABEL + ")*");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Longer than any date-time with a long fraction of a second. */
    private static final int MAX_DATE_TIME_CHARS = 64;
    /** RFC 5321: 64 for the local part, 254 in all. */
    private static final int MAX_EMAIL_CHARS = 254;
    private static final int MAX_LOCAL_PART_CHARS = 64;

    private Formats() {
    }

    /** What a value of {@code format} must look like, in words with an example, if {@code text} is not one; else null. */
    static String violated(String format, String text) {
        return switch (format) {
            case "date" -> isDate(text) ? null : "a date like 2024-05-31 (YYYY-MM-DD)";
            case "date-time" -> isDateTime(text) ? null : "a date-time like 2024-05-31T14:30:00Z (RFC 3339, with an offset)";
            case "time" -> isTime(text) ? null : "a time like 14:30:00Z (RFC 3339, with an offset)";
            case "email" -> isEmail(text) ? null : "an email address like name@example.com";
            case "uri" -> isAbsoluteUri(text) ? null : "an absolute URI like https://example.com/path";
            case "uuid" -> UUID.matcher(text).matches() ? null : "a UUID like 123e4567-e89b-12d3-a456-426614174000";
            default -> null;
        };
    }

    private static boolean isDate(String text) {
        Matcher date = FULL_DATE.matcher(text);
        return date.matches() && validDate(date, 1);
    }

    private static boolean isTime(String text) {
        if (text.length() > MAX_DATE_TIME_CHARS) {
            return false;
        }
        Matcher time = FULL_TIME.matcher(text);
        return time.matches() && validTime(time, 1);
    }

    private static boolean isDateTime(String text) {
        if (text.length() > MAX_DATE_TIME_CHARS) {
            return false;
        }
        Matcher dateTime = DATE_TIME.matcher(text);
        return dateTime.matches() && validDate(dateTime, 1) && validTime(dateTime, 4);
    }

    private static boolean validDate(Matcher matcher, int first) {
        try {
            LocalDate.of(number(matcher, first), number(matcher, first + 1), number(matcher, first + 2));
            return true;
        } catch (DateTimeException impossible) {
            return false;
        }
    }

    /** Hours, minutes, seconds (60 for a leap second), then the offset's hours and minutes when not Z. */
    private static boolean validTime(Matcher matcher, int first) {
        boolean offsetValid = matcher.group(first + 3) == null
                || (number(matcher, first + 3) <= 23 && number(matcher, first + 4) <= 59);
        return number(matcher, first) <= 23 && number(matcher, first + 1) <= 59 && number(matcher, first + 2) <= 60
                && offsetValid;
    }

    private static int number(Matcher matcher, int group) {
        return Integer.parseInt(matcher.group(group));
    }

    private static boolean isEmail(String text) {
        int at = text.lastIndexOf('@');
        return text.length() <= MAX_EMAIL_CHARS && at >= 1 && at <= MAX_LOCAL_PART_CHARS && EMAIL.matcher(text).matches();
    }

    private static boolean isAbsoluteUri(String text) {
        try {
            return new URI(text).isAbsolute();
        } catch (URISyntaxException notUri) {
            return false;
        }
    }
}
