package org.steno.server.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.proto.transcript.v1.Word;

/** {@code steno transcribe} on pocketsphinx-testdata files, with small validators for each output format. */
class TranscribeToolTest {

    static final Path LIBRIVOX = Path.of("/usr/share/pocketsphinx/test/data/librivox");
    static final Path LONG = LIBRIVOX.resolve("sense_and_sensibility_01_austen_64kb-0870.wav");
    static final Path SHORT = LIBRIVOX.resolve("sense_and_sensibility_01_austen_64kb-0880.wav");

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TranscribeTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static double sec(com.google.protobuf.Duration d) {
        return d.getSeconds() + d.getNanos() / 1e9;
    }

    @Test
    void jsonParsesBackIntoTheTranscriptContractWithWordTimesInsideTheAudio(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("t.json");
        Run r = run(LONG.toString(), "--format", "json", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).as("progress bar for a 7 s file").contains("transcribing [").contains("100%");
        Transcript.Builder b = Transcript.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(Files.readString(out), b);
        Transcript t = b.build();
        assertThat(t.getSchemaVersion()).isEqualTo(1);
        assertThat(t.getLanguageCode()).isEqualTo("en");
        assertThat(sec(t.getMediaDuration())).isEqualTo(7.1, org.assertj.core.data.Offset.offset(0.01));
        assertThat(t.getSegmentsList()).isNotEmpty();
        assertThat(t.getProcessing().getRecognizer().getModel()).isEqualTo("pocketsphinx-en-us");
        List<String> speakerIds = t.getSpeakersList().stream().map(s -> s.getSpeakerId()).toList();
        StringBuilder text = new StringBuilder();
        double prevStart = -1;
        for (Segment s : t.getSegmentsList()) {
            assertThat(speakerIds).contains(s.getSpeakerId());
            assertThat(sec(s.getMediaStart())).isGreaterThanOrEqualTo(prevStart);
            assertThat(sec(s.getMediaEnd())).isGreaterThanOrEqualTo(sec(s.getMediaStart())).isLessThanOrEqualTo(7.1);
            prevStart = sec(s.getMediaStart());
            for (Word w : s.getWordsList()) {
                assertThat(sec(w.getMediaStart())).isGreaterThanOrEqualTo(sec(s.getMediaStart()));
                assertThat(sec(w.getMediaEnd())).isGreaterThan(sec(w.getMediaStart())).isLessThanOrEqualTo(7.1);
            }
            text.append(s.getText()).append(' ');
        }
        // The same words pocketsphinx_continuous gives for this file.
        assertThat(text.toString().trim()).isEqualTo("and mr john guess what and then at leisure to consider how much there "
                + "might be greatly in his power to do how about");
    }

    static final Pattern VTT_TIMING = Pattern.compile("^(\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{3}) --> (\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{3})$");
    static final Pattern SRT_TIMING = Pattern.compile("^(\\d{2}):(\\d{2}):(\\d{2}),(\\d{3}) --> (\\d{2}):(\\d{2}):(\\d{2}),(\\d{3})$");

    static long ms(Matcher m, int g) {
        return Long.parseLong(m.group(g)) * 3_600_000 + Long.parseLong(m.group(g + 1)) * 60_000
                + Long.parseLong(m.group(g + 2)) * 1000 + Long.parseLong(m.group(g + 3));
    }

    /** W3C WebVTT: header, blank-line separated cues, timings in order with end after start, balanced voice spans. */
    static int validateVtt(String vtt) {
        assertThat(vtt).startsWith("WEBVTT\n\n");
        String[] blocks = vtt.substring("WEBVTT\n\n".length()).split("\n\n");
        long prevStart = -1;
        int cues = 0;
        for (String block : blocks) {
            if (block.isBlank()) {
                continue;
            }
            String[] lines = block.split("\n");
            int timing = lines[0].contains("-->") ? 0 : 1;
            Matcher m = VTT_TIMING.matcher(lines[timing]);
            assertThat(m.matches()).as("timing line '%s'", lines[timing]).isTrue();
            long start = ms(m, 1);
            long end = ms(m, 5);
            assertThat(end).isGreaterThan(start);
            assertThat(start).isGreaterThanOrEqualTo(prevStart);
            prevStart = start;
            List<String> text = List.of(lines).subList(timing + 1, lines.length);
            assertThat(text).hasSizeBetween(1, 2);
            String joined = String.join("\n", text);
            assertThat(joined).doesNotContain("-->");
            assertThat(countOf(joined, "<v ")).isEqualTo(countOf(joined, "</v>"));
            for (String l : text) {
                String plain = l.replaceAll("<v [^>]*>", "").replace("</v>", "").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
                assertThat(plain.length()).isLessThanOrEqualTo(42);
            }
            assertThat(end - start).isLessThanOrEqualTo(7000);
            cues++;
        }
        return cues;
    }

    static int countOf(String s, String needle) {
        return s.split(Pattern.quote(needle), -1).length - 1;
    }

    /** SubRip: cues numbered 1.., a timing line with end after start, at least one text line. */
    static int validateSrt(String srt) {
        String[] blocks = srt.split("\n\n");
        int n = 0;
        long prevStart = -1;
        for (String block : blocks) {
            if (block.isBlank()) {
                continue;
            }
            String[] lines = block.split("\n");
            assertThat(lines[0]).isEqualTo(String.valueOf(++n));
            Matcher m = SRT_TIMING.matcher(lines[1]);
            assertThat(m.matches()).as("timing '%s'", lines[1]).isTrue();
            assertThat(ms(m, 5)).isGreaterThan(ms(m, 1));
            assertThat(ms(m, 1)).isGreaterThanOrEqualTo(prevStart);
            prevStart = ms(m, 1);
            assertThat(lines.length).isGreaterThanOrEqualTo(3);
        }
        return n;
    }

    /** NIST RTTM: SPEAKER lines with ten fields, onset ≥ 0, duration > 0. */
    static int validateRttm(String rttm) {
        int n = 0;
        for (String line : rttm.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            assertThat(f).hasSize(10);
            assertThat(f[0]).isEqualTo("SPEAKER");
            assertThat(f[2]).isEqualTo("1");
            assertThat(Double.parseDouble(f[3])).isGreaterThanOrEqualTo(0);
            assertThat(Double.parseDouble(f[4])).isGreaterThan(0);
            assertThat(f[7]).isNotBlank();
            n++;
        }
        return n;
    }

    @Test
    void vttSrtTxtAndRttmAreWellFormed() throws Exception {
        Run vtt = run(SHORT.toString(), "--format", "vtt", "--speakers", "1");
        assertThat(vtt.exit()).as(vtt.err()).isZero();
        assertThat(validateVtt(vtt.out())).isGreaterThan(0);
        assertThat(vtt.out()).contains("<v Speaker 1>he was not an");
        assertThat(vtt.err()).as("no progress bar for a 3 s file").doesNotContain("transcribing [");

        Run srt = run(SHORT.toString(), "--format", "srt");
        assertThat(srt.exit()).isZero();
        assertThat(validateSrt(srt.out())).isGreaterThan(0);

        Run txt = run(SHORT.toString(), "--format", "txt");
        assertThat(txt.exit()).isZero();
        assertThat(txt.out()).startsWith("[00:00:00] Speaker").contains("he was not an illness those young man");

        Run rttm = run(SHORT.toString(), "--format", "rttm");
        assertThat(rttm.exit()).isZero();
        assertThat(validateRttm(rttm.out())).isGreaterThan(0);
    }

    @Test
    void badInputGetsOneSentenceAndExitTwo(@TempDir Path dir) throws Exception {
        assertThat(run().exit()).isEqualTo(2);
        Run missing = run(dir.resolve("nope.wav").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");

        Path empty = Files.createFile(dir.resolve("empty.mp3"));
        Run e = run(empty.toString());
        assertThat(e.exit()).isEqualTo(2);
        assertThat(e.err()).contains("is empty");

        Path text = Files.writeString(dir.resolve("minutes.wav"), "not audio\n".repeat(100));
        Run t = run(text.toString());
        assertThat(t.exit()).isEqualTo(2);
        assertThat(t.err()).contains("not a media file");

        Path video = dir.resolve("silent.webm");
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=1:size=160x120:rate=10", "-c:v", "libvpx", "-an", video.toString()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Run v = run(video.toString());
        assertThat(v.exit()).isEqualTo(2);
        assertThat(v.err()).contains("video with no audio track");

        Run fmt = run(SHORT.toString(), "--format", "docx");
        assertThat(fmt.exit()).isEqualTo(2);
        assertThat(fmt.err()).contains("unknown format 'docx'");

        Run lang = run(SHORT.toString(), "--language", "fr");
        assertThat(lang.exit()).isEqualTo(2);
        assertThat(lang.err()).contains("not supported");

        Run model = run(SHORT.toString(), "--model-dir", dir.resolve("no-model").toString());
        assertThat(model.exit()).isEqualTo(2);
        assertThat(model.err()).contains("apt-get install libpocketsphinx3 pocketsphinx-en-us");
    }
}
