package org.steno.archive.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Transcript;

/** The benchmark's archive is what it says, and the command runs end to end (tiny, not timed). */
class SearchBenchTest {

    @TempDir
    Path dir;

    @Test
    void aSyntheticMeetingIsAnHourOfAbout9000WordsBy3To12SpeakersWithZipfFrequencies() {
        Transcript t = SyntheticArchive.meeting(1, 7);
        assertThat(SyntheticArchive.meeting(1, 7)).as("deterministic").isEqualTo(t);
        long words = t.getSegmentsList().stream().mapToLong(s -> s.getText().split(" ").length).sum();
        assertThat(words).isBetween(9000L, 9040L);
        assertThat(t.getSpeakersCount()).isBetween(3, 12);
        Segment last = t.getSegments(t.getSegmentsCount() - 1);
        assertThat(last.getMediaEnd().getSeconds()).as("about an hour of speech").isBetween(3000L, 4500L);
        Map<String, Integer> counts = new HashMap<>();
        for (Segment s : t.getSegmentsList()) {
            for (String w : s.getText().replace(".", "").split(" ")) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        String[] vocab = t.getLanguageCode().startsWith("fr") ? SyntheticArchive.FRENCH : SyntheticArchive.ENGLISH;
        // Zipf: the top word is far more frequent than the 100th.
        assertThat(counts.getOrDefault(vocab[0], 0)).isGreaterThan(20 * counts.getOrDefault(vocab[99], 1));
    }

    @Test
    void theCommandBuildsTheArchiveAndReportsEveryQueryKind() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = SearchBench.run(new String[] {"--hours", "3", "--queries", "5", "--dir", dir.toString()},
                new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));
        assertThat(code).isZero();
        assertThat(out.toString()).contains("archive: 3 meeting-hours").contains("word ").contains("phrase ").contains("speaker ")
                .contains("date ").contains("found: true");
        assertThat(SearchBench.run(new String[] {"--hours", "x"}, new PrintStream(out), new PrintStream(out))).isEqualTo(2);

        // --reuse: the same queries on what the first run left in --dir, without building it again.
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(SearchBench.run(new String[] {"--hours", "3", "--queries", "5", "--dir", dir.toString(), "--reuse"},
                new PrintStream(again), new PrintStream(new ByteArrayOutputStream()))).isZero();
        assertThat(again.toString()).contains("reusing the archive").doesNotContain("built in").contains("phrase ").contains("found: true");
    }
}
