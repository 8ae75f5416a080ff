package dev.apistep.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.apistep.core.StepFailure;
import dev.apistep.step.TlsMaterial;
import dev.apistep.support.TestPki.Identity;
import dev.apistep.support.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TlsIdentityTest {

    private static final Identity AUTHORITY = TestPki.authority("CN=Unit CA");

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.apistep.support.TestPki#keyFormats")
    void loadsEveryKeyFormat(String algorithm, String format) {
        Identity client = TestPki.client(AUTHORITY, "unit", algorithm);
        String key = client.keyPem(format, "secret");
        TlsIdentity identity = TlsIdentity.load(new TlsMaterial(client.chainPem(), key, "secret", AUTHORITY.certificatePem()));
        assertNotNull(identity.clientIdentity());
        assertNotNull(identity.trustManager());
    }

    @Test
    void addsTheStepsAuthoritiesToTheDefaultTrust() {
        TlsIdentity identity = TlsIdentity.load(new TlsMaterial(null, null, null, AUTHORITY.certificatePem()));
        var issuers = java.util.List.of(identity.trustManager().getAcceptedIssuers());
        assertEquals(true, issuers.contains(AUTHORITY.certificate()));
        assertEquals(true, issuers.size() > 1, "the JVM's default anchors are kept");
    }

    @Test
    void repairsPemThatLostItsLineBreaks() {
        String pem = AUTHORITY.certificatePem();
        assertEquals(pem, TlsIdentity.repair(pem.replace("\n", " ")));
        assertEquals(pem, TlsIdentity.repair(pem.replace("\n", "")));
        assertEquals(pem, TlsIdentity.repair(pem.replace("\n", "\\n")));
        assertEquals(pem, TlsIdentity.repair(pem.replace("\n", "\r\n")));
    }

    @Test
    void neverQuotesTheMaterialInItsErrors() {
        Identity client = TestPki.client(AUTHORITY, "unit", "RSA");
        String key = client.encryptedPkcs8Pem("right");
        StepFailure failure = assertThrows(StepFailure.class,
                () -> TlsIdentity.load(new TlsMaterial(client.certificatePem(), key, "wrong", null)));
        assertEquals("KEY_PASSWORD", failure.error().reason());
        assertEquals(false, failure.error().message().contains("wrong"));
    }
}
