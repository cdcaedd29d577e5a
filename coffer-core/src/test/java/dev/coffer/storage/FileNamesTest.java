package dev.coffer.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileNamesTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 239, 240, 241, 480, 481, 1000})
    void segmentsAroundTheChunkLimitSplitIntoShortComponentsThatJoinBack(int length) {
        String segment = "x".repeat(length);

        List<String> parts = FileNames.components(segment, false);

        assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(FileNames.MAX_COMPONENT + 2));
        assertThat(parts).hasSize((length + FileNames.MAX_COMPONENT - 1) / FileNames.MAX_COMPONENT);
        assertThat(parts.subList(0, parts.size() - 1)).allSatisfy(p -> assertThat(p).endsWith(".c"));
        String joined = String.join("", parts.stream().map(p -> p.replaceAll("\\.c$", "")).toList());
        assertThat(FileNames.decode(joined)).contains(segment);
    }

    @Test
    void folderComponentCarriesTheFolderSuffixOnlyOnTheLastChunk() {
        List<String> parts = FileNames.components("y".repeat(500), true);

        assertThat(parts).hasSize(3);
        assertThat(parts.get(2)).endsWith(".d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%61", "%2e", "%", "%4", "A", "a.b", "%C3", "%FF"})
    void decodeRejectsNamesTheEncoderNeverProduces(String name) {
        assertThat(FileNames.decode(name)).isEmpty();
    }
}
