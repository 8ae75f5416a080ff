package dev.apistep.read.curl;

/** A command line that cannot be read as a cURL command; the message says why, without quoting it. */
final class CurlSyntaxException extends RuntimeException {

    CurlSyntaxException(String message) {
        super(message, null, false, false);
    }
}
