package dev.apistep.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Secret values in each spelling JSON allows, in text that is JSON, is not, or is hostile: maskValues alone. */
class SecretMaskerSpellingsTest {

    /** Non-ASCII, astral and a slash, which PHP and Python spell in their own ways. */
    private static final String SECRET = "s/ñ😀-9";
    /** Characters JSON must escape: a quote, a backslash, a newline and another control character. */
    private static final String NEEDS_ESCAPES = "q\"b\\n\n\u0001-8";
    private static final SecretMasker MASKER = new SecretMasker(Set.of(), Set.of(SECRET, NEEDS_ESCAPES), null);

    // In the text block, \\ is one backslash of the text.
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            raw                     | '{"a":"s/ñ😀-9"}'                                         | '{"a":"***"}'
            URL-encoded             | '{"url":"http:\\/\\/h\\/x?k=s%2F%C3%B1%F0%9F%98%80-9"}'   | '{"url":"http:\\/\\/h\\/x?k=***"}'
            PHP                     | '{"a":"s\\/\\u00f1\\ud83d\\ude00-9"}'                     | '{"a":"***"}'
            Python ensure_ascii     | '{"a": "s/\\u00f1\\ud83d\\ude00-9", "b": "\\u00f1"}'      | '{"a": "***", "b": "\\u00f1"}'
            upper-case hex          | '{"a":"s\\/\\u00F1\\uD83D\\uDE00-9"}'                     | '{"a":"***"}'
            every character escaped | '{"a":"\\u0073\\u002f\\u00f1\\uD83D\\ude00\\u002D\\u0039"}' | '{"a":"***"}'
            in a longer literal     | '{"a":"Bearer s\\/\\u00f1\\ud83d\\ude00-9, \\/more"}'     | '{"a":"Bearer ***, \\/more"}'
            a JSON body echoed      | '{"data":"{\\"t\\":\\"s\\\\/\\\\u00f1\\\\ud83d\\\\ude00-9\\"}"}' | '{"data":"{\\"t\\":\\"***\\"}"}'
            unterminated            | '{"a":"s\\/\\u00f1\\ud83d\\ude00-9'                       | '{"a":"***'
            after a stray quote     | 'say "hi {"a":"s\\/\\u00f1\\ud83d\\ude00-9"}'             | 'say "hi {"a":"***"}'
            outside any literal     | 'token=s\\/\\u00f1\\ud83d\\ude00-9&x=\\/'                 | 'token=***&x=\\/'
            an escape JSON lacks    | '{"a":"s\\/\\u00f1\\ud83d\\ude00\\-9"}'                   | '{"a":"***"}'
            as Jackson escapes      | '{"a":"q\\"b\\\\n\\n\\u0001-8"}'                          | '{"a":"***"}'
            quote and controls      | '{"a":"q\\u0022b\\u005Cn\\u000A\\u0001-8"}'               | '{"a":"***"}'
            twice in one literal    | '{"a":"s\\/\\u00f1\\ud83d\\ude00-9 q\\"b\\\\n\\n\\u0001-8"}' | '{"a":"*** ***"}'
            half an escape          | '{"a":"s\\/\\u00f1\\ud83d\\ude0"}'                        | '{"a":"s\\/\\u00f1\\ud83d\\ude0"}'
            """)
    void aSecretIsMaskedInEverySpellingAndTheRestIsLeftAsWritten(String name, String text, String masked) {
        assertEquals(masked, MASKER.maskValues(text), name);
    }

    /** 4 MiB of text of the kinds that make a scanner backtrack or rescan, each masked in one pass. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            many escaped literals    | '"\\u00f1\\/x",'
            many empty literals      | '""'
            only backslashes         | '\\'
            unicode escapes cut off  | '\\u00'
            escaped quotes           | '\\"'
            quotes and backslashes   | '"\\\\"\\'
            """)
    void hostileTextOfFourMebibytesIsMaskedInBoundedTime(String name, String unit) {
        String filler = unit.repeat(4 * 1024 * 1024 / unit.length());
        String text = "{\"a\":\"s\\/\\u00f1\\ud83d\\ude00-9\"," + filler + "\"z\":\"s\\/\\u00f1\\ud83d\\ude00-9";
        String masked = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> MASKER.maskValues(text), name);
        assertEquals(SecretMasker.MASK, masked.substring(6, 9), name + ": the first secret");
        assertEquals(text.length() - 2 * ("s\\/\\u00f1\\ud83d\\ude00-9".length() - 3), masked.length(), name);
    }

    @Test
    void theFormsThatWereMaskedBeforeStillAre() {
        SecretMasker masker = new SecretMasker(Set.of(), Set.of("a b&c"), null);
        assertEquals("x=*** y=*** z=*** w=\"***\"", masker.maskValues("x=a b&c y=a+b%26c z=a%20b%26c w=\"a b&c\""));
    }
}
