package dev.apistep.support;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A private PKI made by the tests: CAs, server and client certificates, keys in every PEM format. */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key and its certificate chain (leaf first). */
    public record Identity(KeyPair keys, X509Certificate certificate, X509Certificate issuer) {

        public String certificatePem() {
            return pem(certificate);
        }

        public String chainPem() {
            return pem(certificate) + (issuer == null ? "" : pem(issuer));
        }

        /** PKCS#8, unencrypted: {@code BEGIN PRIVATE KEY}. */
        public String pkcs8Pem() {
            return block("PRIVATE KEY", keys.getPrivate().getEncoded());
        }

        /** PKCS#1 for RSA ({@code BEGIN RSA PRIVATE KEY}), SEC1 with its named curve for EC ({@code BEGIN EC PRIVATE KEY}), as OpenSSL writes them. */
        public String traditionalPem() {
            if (keys.getPrivate() instanceof java.security.interfaces.ECPrivateKey ec) {
                try {
                    return block("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(256, ec.getS(),
                            new org.bouncycastle.asn1.x9.X962Parameters(org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1))
                            .getEncoded());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            try {
                StringWriter out = new StringWriter();
                try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                    writer.writeObject(keys.getPrivate());
                }
                return out.toString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** PKCS#8 encrypted with a password: {@code BEGIN ENCRYPTED PRIVATE KEY}. */
        public String encryptedPkcs8Pem(String password) {
            try {
                var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                        .setProvider(new BouncyCastleProvider()).setRandom(new SecureRandom())
                        .setPassword(password.toCharArray()).build();
                StringWriter out = new StringWriter();
                try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                    writer.writeObject(new JcaPKCS8Generator(keys.getPrivate(), encryptor));
                }
                return out.toString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** The key as {@code pkcs8}, {@code encrypted} (PKCS#8 with {@code password}) or {@code traditional} (PKCS#1 / SEC1). */
        public String keyPem(String format, String password) {
            return switch (format) {
                case "pkcs8" -> pkcs8Pem();
                case "encrypted" -> encryptedPkcs8Pem(password);
                case "traditional" -> traditionalPem();
                default -> throw new IllegalArgumentException("no key format " + format);
            };
        }

        public PrivateKey privateKey() {
            return keys.getPrivate();
        }
    }

    private TestPki() {
    }

    /** Every key algorithm with every PEM format a flow author may paste: (algorithm, format). */
    public static Stream<Arguments> keyFormats() {
        return Stream.of("RSA", "EC").flatMap(algorithm -> Stream.of("pkcs8", "traditional", "encrypted")
                .map(format -> Arguments.of(algorithm, format)));
    }

    public static Identity authority(String name) {
        KeyPair keys = keys("EC");
        return new Identity(keys, sign(name, keys, name, keys.getPrivate(), true, null, Instant.now(), Duration.ofDays(30)), null);
    }

    /** A server certificate for {@code hosts} (names or IP addresses), valid from {@code notBefore} for {@code validity}. */
    public static Identity server(Identity issuer, Instant notBefore, Duration validity, String... hosts) {
        KeyPair keys = keys("EC");
        return new Identity(keys, sign("CN=" + hosts[0], keys, issuer.certificate().getSubjectX500Principal().getName(),
                issuer.privateKey(), false, hosts, notBefore, validity), issuer.certificate());
    }

    public static Identity server(Identity issuer, String... hosts) {
        return server(issuer, Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(10), hosts);
    }

    /** A client certificate with an RSA or EC key. */
    public static Identity client(Identity issuer, String commonName, String algorithm) {
        KeyPair keys = keys(algorithm);
        return new Identity(keys, sign("CN=" + commonName, keys, issuer.certificate().getSubjectX500Principal().getName(),
                issuer.privateKey(), false, null, Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(10)),
                issuer.certificate());
    }

    public static String pem(X509Certificate certificate) {
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static KeyPair keys(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
            boolean authority, String[] hosts, Instant notBefore, Duration validity) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notBefore.plus(validity)),
                    new X500Name(subject), subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (authority) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            if (hosts != null) {
                GeneralName[] names = new GeneralName[hosts.length];
                for (int i = 0; i < hosts.length; i++) {
                    names[i] = new GeneralName(hosts[i].matches("[0-9.]+") ? GeneralName.iPAddress : GeneralName.dNSName, hosts[i]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            String algorithm = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
