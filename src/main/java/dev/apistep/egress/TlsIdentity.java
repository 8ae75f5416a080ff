package dev.apistep.egress;

import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import dev.apistep.step.TlsMaterial;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * A step's TLS material turned into what a TLS client needs: the client certificate chain with its key
 * (whatever PEM form it came in, handed to Vert.x as unencrypted PKCS#8, its most reliable form), and a
 * trust manager holding the default trust anchors plus the step's CAs. Anything that cannot be loaded is
 * an error naming what is wrong, never silently skipped, never quoting the material.
 */
record TlsIdentity(PemKeyCertOptions clientIdentity, X509TrustManager trustManager) {

    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern HEADER_LINE = Pattern.compile("^[A-Za-z-]+: .*$", Pattern.MULTILINE);
    /** Encrypted PEM keys name ciphers (AES/CBC/PKCS7Padding) only BouncyCastle provides; used, not installed globally. */
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    static TlsIdentity load(TlsMaterial material) {
        boolean hasCertificate = present(material.clientCertificate());
        boolean hasKey = present(material.clientKey());
        if (hasCertificate != hasKey) {
            String missing = hasCertificate ? "step.tls.clientKey" : "step.tls.clientCertificate";
            throw StepFailure.invalidStep(missing, missing + " is required with the other half of the client identity");
        }
        PemKeyCertOptions clientIdentity = null;
        if (hasCertificate) {
            List<X509Certificate> chain = certificates(material.clientCertificate(), "step.tls.clientCertificate");
            PrivateKey key = privateKey(material.clientKey(), material.clientKeyPassword());
            requireMatch(chain.get(0), key);
            clientIdentity = new PemKeyCertOptions()
                    .setCertValue(Buffer.buffer(repair(material.clientCertificate())))
                    .setKeyValue(Buffer.buffer(pkcs8Pem(key)));
        }
        List<X509Certificate> authorities = present(material.caCertificates())
                ? certificates(material.caCertificates(), "step.tls.caCertificates")
                : List.of();
        return new TlsIdentity(clientIdentity, trustManager(authorities));
    }

    private static boolean present(String pem) {
        return pem != null && !pem.isBlank();
    }

    /**
     * PEM as pasted into a form often lost its line breaks (spaces instead, or one long line): each block
     * is rebuilt from its markers and its base64, with any header lines kept.
     */
    static String repair(String pem) {
        StringBuilder out = new StringBuilder();
        Matcher block = PEM_BLOCK.matcher(pem.replace("\\n", "\n"));
        while (block.find()) {
            String type = block.group(1);
            String body = block.group(2);
            StringBuilder headers = new StringBuilder();
            Matcher header = HEADER_LINE.matcher(body.replace("\r", ""));
            int end = 0;
            while (header.find()) {
                headers.append(header.group()).append('\n');
                end = header.end();
            }
            if (headers.length() > 0) {
                headers.append('\n');
            }
            String base64 = body.substring(end).replaceAll("[^A-Za-z0-9+/=]", "");
            out.append("-----BEGIN ").append(type).append("-----\n").append(headers);
            for (int i = 0; i < base64.length(); i += 64) {
                out.append(base64, i, Math.min(base64.length(), i + 64)).append('\n');
            }
            out.append("-----END ").append(type).append("-----\n");
        }
        return out.toString();
    }

    private static List<X509Certificate> certificates(String pem, String field) {
        String repaired = repair(pem);
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (var certificate : factory.generateCertificates(
                    new ByteArrayInputStream(repaired.getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw StepFailure.invalidStep(field, field + " holds no PEM certificate");
            }
            return certificates;
        } catch (GeneralSecurityException unreadable) {
            throw StepFailure.invalidStep(field, field + " is not a readable PEM certificate");
        }
    }

    private static PrivateKey privateKey(String pem, String password) {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(repair(pem)))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException unreadable) {
            throw keyFailure("KEY_INVALID", "step.tls.clientKey is not a readable PEM private key");
        }
        // BouncyCastle's key factories also read SEC1 EC keys that keep their curve only inside the key.
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BOUNCY_CASTLE);
        try {
            if (parsed instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BOUNCY_CASTLE).build(password(password))));
            }
            if (parsed instanceof PEMEncryptedKeyPair encrypted) {
                return converter.getPrivateKey(encrypted.decryptKeyPair(
                        new JcePEMDecryptorProviderBuilder().setProvider(BOUNCY_CASTLE).build(password(password)))
                        .getPrivateKeyInfo());
            }
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (StepFailure missingPassword) {
            throw missingPassword;
        } catch (PKCSException | OperatorCreationException | org.bouncycastle.openssl.EncryptionException wrongPassword) {
            throw keyFailure("KEY_PASSWORD", "step.tls.clientKey could not be decrypted with step.tls.clientKeyPassword");
        } catch (IOException | RuntimeException unreadable) {
            throw keyFailure("KEY_INVALID", "step.tls.clientKey is not a readable PEM private key");
        }
        throw keyFailure("KEY_INVALID", "step.tls.clientKey is not a PEM private key");
    }

    private static char[] password(String password) {
        if (password == null || password.isEmpty()) {
            throw keyFailure("KEY_PASSWORD", "step.tls.clientKey is encrypted and step.tls.clientKeyPassword is missing");
        }
        return password.toCharArray();
    }

    /** The certificate and the key must be one pair: a signature made by the key must verify with the certificate. */
    private static void requireMatch(X509Certificate certificate, PrivateKey key) {
        byte[] probe = "api-step key check".getBytes(StandardCharsets.US_ASCII);
        String algorithm = key.getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
        try {
            Signature signer = Signature.getInstance(algorithm, BOUNCY_CASTLE);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm, BOUNCY_CASTLE);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException differentAlgorithms) {
            // A key of another algorithm than the certificate's cannot be its pair.
        }
        throw keyFailure("CERT_KEY_MISMATCH", "step.tls.clientKey does not belong to step.tls.clientCertificate");
    }

    private static String pkcs8Pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** The JVM's default trust anchors plus the step's CAs: added to, never replacing, the default trust. */
    private static X509TrustManager trustManager(List<X509Certificate> authorities) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int index = 0;
            for (X509Certificate anchor : DefaultTrust.ANCHORS) {
                store.setCertificateEntry("default-" + index++, anchor);
            }
            for (X509Certificate authority : authorities) {
                store.setCertificateEntry("step-" + index++, authority);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return (X509TrustManager) factory.getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException unusable) {
            throw StepFailure.invalidStep("step.tls.caCertificates", "step.tls.caCertificates cannot be used as trust anchors");
        }
    }

    private static StepFailure keyFailure(String reason, String message) {
        return new StepFailure(ErrorCode.TLS_FAILURE, reason, message);
    }

    /** The JVM's default trust anchors, read once. */
    private static final class DefaultTrust {
        static final List<X509Certificate> ANCHORS = read();

        private static List<X509Certificate> read() {
            try {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init((KeyStore) null);
                return List.of(((X509TrustManager) factory.getTrustManagers()[0]).getAcceptedIssuers());
            } catch (GeneralSecurityException unavailable) {
                throw new IllegalStateException("the JVM's default trust store cannot be read", unavailable);
            }
        }
    }
}
