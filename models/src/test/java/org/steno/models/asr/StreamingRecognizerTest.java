package org.steno.models.asr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.steno.models.TestAudio;

/** The binding gives exactly what Debian's pocketsphinx_continuous gives on the same file. */
class StreamingRecognizerTest {

    @Test
    void textAndWordTimesMatchTheCommandLineTool() throws Exception {
        Process p = new ProcessBuilder("pocketsphinx_continuous", "-infile", TestAudio.LONG_SENTENCE.toString(), "-time", "yes")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> cli = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            r.lines().forEach(cli::add);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String cliText = cli.get(0);
        List<String> cliWords = new ArrayList<>();
        List<Double> cliStarts = new ArrayList<>();
        for (String line : cli.subList(1, cli.size())) {
            String[] f = line.split(" ");
            if (f[0].startsWith("<") || f[0].startsWith("[")) {
                continue;
            }
            cliWords.add(f[0].replaceAll("\\(\\d+\\)$", ""));
            cliStarts.add(Double.parseDouble(f[1]));
        }

        short[] samples = TestAudio.samples(TestAudio.LONG_SENTENCE);
        try (SphinxDecoder d = PocketSphinx.newDecoder(AsrModelPaths.debianEnUs())) {
            List<RecognitionEvent.Final> finals = WholeAudioRecognizer.recognize(d, samples, n -> { });
            assertThat(finals).hasSize(1);
            assertThat(finals.get(0).text()).isEqualTo(cliText);
            List<RecognizedWord> words = finals.get(0).words();
            assertThat(words.stream().map(RecognizedWord::word).toList()).isEqualTo(cliWords);
            for (int i = 0; i < words.size(); i++) {
                assertThat(words.get(i).startSeconds()).isEqualTo(cliStarts.get(i), org.assertj.core.data.Offset.offset(0.0051));
            }
        }
    }

    @Test
    void stabilityGrowsWithAgreement() {
        assertThat(StreamingRecognizer.stability(null, "a b")).isEqualTo(0.1f);
        assertThat(StreamingRecognizer.stability("a b c", "a b c d")).isGreaterThan(StreamingRecognizer.stability("a x", "a b c d"));
        assertThat(StreamingRecognizer.stability("a b c d", "a b c d")).isLessThanOrEqualTo(0.9f);
    }
}
