package dev.apistep.read.curl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which shell a command was written for, and the export's form of a control character, {@code "$(printf '\NNN')"}
 * outside the single quotes, read back as that character.
 */
class ShellWordsTest {

    private static String lastWord(String command) {
        List<String> words = ShellWords.split(command);
        return words.get(words.size() - 1);
    }

    @Test
    void cmdMarksInsideSingleQuotesAreText() {
        assertEquals("{\"re\":\"^\"}", lastWord("curl 'https://x' --data-raw '{\"re\":\"^\"}'"));
        assertEquals("line one^\nline \"two\"", lastWord("curl 'https://x' --data-raw 'line one^\nline \"two\"'"));
        assertEquals("a^\r\nb", lastWord("curl 'https://x' -d 'a^\r\nb'"));
    }

    @Test
    void aCommandWithSingleQuotedWordsIsNotACmdCopy() {
        assertEquals("a^", lastWord("curl 'https://x' -d \"a^\""));
        assertEquals(List.of("curl", "https://x", "-d", "ab", "-d", "c%"),
                ShellWords.split("curl 'https://x' -d \"a\"\"b\" -d \"c\"%\"\""));
    }

    @Test
    void aCmdCopyStillReadsWithApostrophesInItsValues() {
        assertEquals("{\"a\":\"it's John's\",\"b\":\"x 'y' z\"}", lastWord(
                "curl ^\"https://x^\" ^\n  --data-raw ^\"^{^\\^\"a^\\^\":^\\^\"it's John's^\\^\",^\\^\"b^\\^\":^\\^\"x 'y' z^\\^\"^}^\""));
    }

    static IntStream exportedControlCharacters() {
        return IntStream.concat(IntStream.range(0, 0x20).filter(c -> c != '\n'), IntStream.of(0x7F));
    }

    /** As the export writes a value with a control character: the quote closed, the character, the quote reopened. */
    @ParameterizedTest
    @MethodSource("exportedControlCharacters")
    void theExportsPrintfFormIsTheControlCharacter(int control) {
        String written = "'a'\"$(printf '\\" + String.format("%03o", control) + "')\"'b'";
        assertEquals("a" + (char) control + "b", lastWord("curl 'https://x' -d " + written));
        assertEquals("a" + (char) control + "b", lastWord("curl https://x -d " + written));
    }

    @Test
    void oneToThreeOctalDigitsAndRunsOfCharactersRead() {
        assertEquals("\t\u001b\u0000x", lastWord("curl 'https://x' -d \"$(printf '\\11')\"\"$(printf '\\33')\""
                + "\"$(printf '\\0')\"x"));
    }

    @Test
    void otherCommandSubstitutionsStayText() {
        assertEquals("$(printf '\\0111')", lastWord("curl 'https://x' -d \"$(printf '\\0111')\""));
        assertEquals("$(printf '\\400')", lastWord("curl 'https://x' -d \"$(printf '\\400')\""));
        assertEquals("$(printf '\\8')", lastWord("curl 'https://x' -d \"$(printf '\\8')\""));
        assertEquals("$(printf 'x')", lastWord("curl 'https://x' -d \"$(printf 'x')\""));
        assertEquals("$(printf \\011)", lastWord("curl 'https://x' -d \"$(printf \\011)\""));
        assertEquals("$(date)", lastWord("curl 'https://x' -d \"$(date)\""));
        assertEquals("\"$(printf '\\011')\"", lastWord("curl 'https://x' -d '\"$(printf '\\''\\011'\\'')\"'"));
    }
}
