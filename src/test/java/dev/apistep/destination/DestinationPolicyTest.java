package dev.apistep.destination;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apistep.core.ErrorCode;
import dev.apistep.core.StepFailure;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DestinationPolicyTest {

    private final DestinationPolicy strict = new DestinationPolicy(List.of());

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            http://127.0.0.1/
            http://127.255.0.9/
            http://localhost/
            http://0.0.0.0/
            http://10.1.2.3/
            http://100.64.0.1/
            http://169.254.169.254/latest/meta-data/
            http://172.16.0.1/
            http://172.31.255.255/
            http://192.0.0.8/
            http://192.0.2.1/
            http://192.88.99.1/
            http://192.168.1.1/
            http://198.18.0.1/
            http://198.51.100.7/
            http://203.0.113.7/
            http://224.0.0.1/
            http://240.0.0.1/
            http://255.255.255.255/
            http://[::1]/
            http://[::]/
            http://[::ffff:127.0.0.1]/
            http://[::ffff:169.254.169.254]/
            http://[::127.0.0.1]/
            http://[64:ff9b::a9fe:a9fe]/
            http://[2002:7f00:1::]/
            http://[fc00::1]/
            http://[fd12:3456::1]/
            http://[fe80::1]/
            http://[fec0::1]/
            http://[ff02::1]/
            http://[2001:db8::1]/
            """)
    void refusesEveryAddressThatIsNotPublicUnicast(String url) {
        StepFailure failure = assertThrows(StepFailure.class, () -> strict.check(URI.create(url)));
        assertEquals(ErrorCode.BLOCKED_DESTINATION, failure.error().code());
        assertEquals("the destination " + URI.create(url).getHost() + " is not allowed", failure.error().message());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            http://2130706433/
            http://0x7f000001/
            http://0177.0.0.1/
            http://0x7f.0.0.1/
            http://127.000.000.001/
            http://017700000001/
            """)
    void refusesOtherIpv4NotationsAsInvalid(String url) {
        StepFailure failure = assertThrows(StepFailure.class, () -> strict.check(URI.create(url)));
        assertEquals(ErrorCode.INVALID_STEP, failure.error().code());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            2130706433, true
            0x7f.1, true
            0X7F.0.0.1., true
            0x.1, true
            1.2.3.4.5, true
            api.example.com, false
            1..2, false
            0x7g.1, false
            '', false
            12a.4, false
            """)
    void readsOtherIpv4NotationsWithoutARegex(String host, boolean odd) {
        assertEquals(odd, DestinationPolicy.isOddIpv4Notation(host));
    }

    /** A repeated regex group recursed once per part: thousands of parts overflowed the stack. */
    @Test
    void aHostOfThousandsOfNumericPartsIsRefusedWithoutOverflowingTheStack() {
        String host = "1.".repeat(7_000) + "1";
        assertTrue(DestinationPolicy.isOddIpv4Notation(host));
        StepFailure failure = assertThrows(StepFailure.class, () -> strict.check(URI.create("http://" + host + "/")));
        assertEquals(ErrorCode.INVALID_STEP, failure.error().code());
    }

    @Test
    void allowsPublicAddresses() {
        assertDoesNotThrow(() -> strict.check(URI.create("http://93.184.216.34/")));
        assertDoesNotThrow(() -> strict.check(URI.create("http://[2606:4700::1111]/")));
    }

    @Test
    void operatorExemptionsByAddressRangeAndName() {
        DestinationPolicy allowing = new DestinationPolicy(List.of("127.0.0.1", " 10.0.0.0/8", "LOCALHOST", "::1"));
        assertDoesNotThrow(() -> allowing.check(URI.create("http://127.0.0.1:8080/")));
        assertDoesNotThrow(() -> allowing.check(URI.create("http://10.200.3.4/")));
        assertDoesNotThrow(() -> allowing.check(URI.create("http://localhost/")));
        assertDoesNotThrow(() -> allowing.check(URI.create("http://[::1]/")));
        assertThrows(StepFailure.class, () -> allowing.check(URI.create("http://127.0.0.2/")));
        assertThrows(StepFailure.class, () -> allowing.check(URI.create("http://169.254.169.254/")));
    }

    @Test
    void theMessageNamesTheHostButNeverTheAddress() {
        StepFailure failure = assertThrows(StepFailure.class, () -> strict.check(URI.create("http://localhost:9/")));
        assertEquals("the destination localhost is not allowed", failure.error().message());
    }
}
