package dev.churn.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WordsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "TCP: inuse 5 orphan 0 tw 4987 alloc 7 mem 1",
        "  cpu  4705 150 1120 16250 520 0 12 0 0 0  ",
        "0.52 0.58 0.59 1/389 12345",
        "Tcp:\tRtoAlgorithm RtoMin\t RtoMax",
        "one",
        "a\r\nb"
    })
    void splitsAsTheRegularExpressionDid(String line) {
        assertArrayEquals(line.strip().split("\\s+"), Words.of(line));
    }

    @Test
    void aBlankLineHasNoWords() {
        // where split gave one empty word, which every caller's length check then refused anyway
        assertArrayEquals(new String[0], Words.of(""));
        assertArrayEquals(new String[0], Words.of("   \t "));
    }
}
