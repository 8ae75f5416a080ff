package dev.apistep.step;

/**
 * Bytes to upload, before rendering: a multipart file part or a binary body. Either {@code content} (a
 * template whose text is the bytes in {@code encoding}: base64, or text sent as UTF-8) or {@code url} (a
 * template of a URL the function downloads); {@code filename} and {@code contentType} are templates too
 * (null when not given).
 */
public record FileTemplate(String content, Encoding encoding, String url, String filename, String contentType) {

    public enum Encoding {
        BASE64, TEXT
    }
}
