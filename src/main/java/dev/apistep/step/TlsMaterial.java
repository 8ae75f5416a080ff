package dev.apistep.step;

/**
 * {@code step.tls}: PEM text. A client certificate (chain allowed) with its key, the key's password when
 * it is encrypted, and extra CA certificates trusted on top of the default ones. Any part may be null.
 */
public record TlsMaterial(String clientCertificate, String clientKey, String clientKeyPassword, String caCertificates) {

    /** Never prints the key or its password. */
    @Override
    public String toString() {
        return "TlsMaterial[clientCertificate=" + (clientCertificate != null) + ", clientKey=" + (clientKey != null)
                + ", caCertificates=" + (caCertificates != null) + "]";
    }
}
