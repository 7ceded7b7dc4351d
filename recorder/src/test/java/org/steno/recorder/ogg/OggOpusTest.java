package org.steno.recorder.ogg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written Ogg/Opus muxer against FFmpeg's reader and its own. */
class OggOpusTest {

    @TempDir
    Path tmp;

    @Test
    void tocGivesPacketDurations() {
        assertThat(OpusPackets.samples(new byte[] {(byte) (1 << 3)})).isEqualTo(960);        // SILK 20 ms
        assertThat(OpusPackets.samples(new byte[] {(byte) ((31 << 3) | 1)})).isEqualTo(1920); // CELT 20 ms x2
        assertThat(OpusPackets.samples(new byte[] {(byte) ((16 << 3) | 3), 3})).isEqualTo(360); // 2.5 ms x3
        assertThat(OpusPackets.samples(new byte[] {(byte) ((3 << 3) | 3), 3})).isEqualTo(-1);   // 180 ms: too long
        assertThat(OpusPackets.samples(new byte[] {(byte) ((3 << 3) | 3)})).isEqualTo(-1);      // count byte missing
        assertThat(OpusPackets.samples(new byte[0])).isEqualTo(-1);
    }

    @Test
    void silenceFillsExactlyAndFfprobeReadsTheFile() throws Exception {
        Path f = tmp.resolve("s.ogg");
        List<byte[]> written = new ArrayList<>();
        try (OggOpusFile ogg = new OggOpusFile(f, Map.of("TITLE", "Zoë"))) {
            long filled = OpusSilence.fill(48_000 * 3 + 600, (p, n) -> {
                ogg.write(p, n);
                written.add(p);
            });
            assertThat(filled).isEqualTo(48_000 * 3 + 480 + 120);
        }
        assertThat(OggOpusFile.audioPackets(Files.readAllBytes(f))).hasSameSizeAs(written);
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_name",
                "-of", "default=nw=1", f.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        assertThat(out).contains("codec_name=opus").contains("duration=3.0125");
    }

    @Test
    void aDamagedPageEndsTheRead() throws Exception {
        Path f = tmp.resolve("d.ogg");
        try (OggOpusFile ogg = new OggOpusFile(f, Map.of())) {
            for (int i = 0; i < 120; i++) {
                OpusSilence.fill(960, ogg::write);
            }
        }
        byte[] b = Files.readAllBytes(f);
        int intact = OggOpusFile.audioPackets(b).size();
        b[b.length - 10] ^= 0x55; // inside the last page
        assertThat(OggOpusFile.audioPackets(b).size()).isLessThan(intact).isGreaterThan(0);
    }
}
