package org.steno.server.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of {@code steno bench speech} that decide its figures, on real sctk. */
class BenchSpeechToolTest {

    @Test
    void scliteScoresSubstitutionsDeletionsAndInsertionsTheNistWay(@TempDir Path dir) throws Exception {
        Map<String, String> ref = new LinkedHashMap<>();
        ref.put("utt1", "he was not an ill disposed young man");
        ref.put("utt2", "he might even have been made amiable himself");
        Map<String, String> hyp = new LinkedHashMap<>();
        hyp.put("utt1", "he was not an illness those young man");
        hyp.put("utt2", "he might even have been made the amiable himself");
        double[] w = BenchSpeechTool.sclite(BenchSpeechTool.writeTrn(dir.resolve("ref.trn"), ref),
                BenchSpeechTool.writeTrn(dir.resolve("hyp.trn"), hyp));
        // 16 reference words: 2 substitutions (ill→illness, disposed→those), 1 insertion (the).
        assertThat(w[1]).isEqualTo(12.5, org.assertj.core.data.Offset.offset(0.05));
        assertThat(w[2]).isZero();
        assertThat(w[3]).isEqualTo(6.3, org.assertj.core.data.Offset.offset(0.05));
        assertThat(w[0]).isEqualTo(18.8, org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void referencesAreReadFromTheSphinxTranscriptionFile() throws Exception {
        Map<String, String> refs = BenchSpeechTool.references(BenchSpeechTool.LIBRIVOX.resolve("transcription"));
        assertThat(refs).hasSize(5);
        assertThat(refs.get("sense_and_sensibility_01_austen_64kb-0880")).isEqualTo("he was not an ill disposed young man");
    }

    @Test
    void unknownBenchmarkOrArgumentExits2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(BenchTool.run(new String[] {"typing"}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("available: speech, diarization, recorder");
        assertThat(BenchTool.run(new String[] {"speech", "--fast"}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unexpected argument '--fast'");
    }
}
