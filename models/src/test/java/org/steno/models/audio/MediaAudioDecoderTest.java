package org.steno.models.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.models.TestAudio;
import org.steno.models.transcriber.MediaFixtures;

class MediaAudioDecoderTest {

    @Test
    void wavAt16kIsReadSampleExact() throws Exception {
        short[] s = MediaAudioDecoder.decodeAll(TestAudio.SHORT_SENTENCE);
        assertThat(s).isEqualTo(TestAudio.samples(TestAudio.SHORT_SENTENCE));
    }

    @Test
    void compressedStereo48kBecomes16kMono(@TempDir Path dir) throws Exception {
        Path ogg = MediaFixtures.ffmpeg(dir.resolve("speech.ogg"), "-i", TestAudio.SHORT_SENTENCE.toString(),
                "-ac", "2", "-ar", "48000", "-c:a", "libopus");
        Path mp4 = MediaFixtures.ffmpeg(dir.resolve("speech.mp4"), "-f", "lavfi", "-i", "testsrc=duration=3:size=160x120:rate=10",
                "-i", TestAudio.SHORT_SENTENCE.toString(), "-c:v", "mpeg4", "-c:a", "aac", "-shortest");
        for (Path p : new Path[] {ogg, mp4}) {
            long[] progress = new long[2];
            MediaAudioDecoder.Decoded d = MediaAudioDecoder.decode(p, (x, n) -> { }, (done, total) -> {
                progress[0] = done;
                progress[1] = total;
            });
            assertThat(d.seconds()).as(p.toString()).isBetween(2.8, 3.2);
            assertThat(progress[0]).isEqualTo(d.samples());
        }
    }

    @Test
    void emptyFile(@TempDir Path dir) throws Exception {
        Path f = Files.createFile(dir.resolve("empty.wav"));
        AudioDecodeException e = catchThrowableOfType(AudioDecodeException.class, () -> MediaAudioDecoder.decodeAll(f));
        assertThat(e.reason()).isEqualTo(AudioDecodeException.Reason.EMPTY);
        assertThat(e.getMessage()).contains("is empty");
    }

    @Test
    void notMedia(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("notes.wav"), "agenda: budget, hiring, AOB\n".repeat(100));
        AudioDecodeException e = catchThrowableOfType(AudioDecodeException.class, () -> MediaAudioDecoder.decodeAll(f));
        assertThat(e.reason()).isEqualTo(AudioDecodeException.Reason.NOT_MEDIA);
        assertThat(e.getMessage()).contains("not a media file FFmpeg can read");
    }

    @Test
    void videoWithoutAudio(@TempDir Path dir) throws Exception {
        Path f = MediaFixtures.videoWithoutAudio(dir);
        AudioDecodeException e = catchThrowableOfType(AudioDecodeException.class, () -> MediaAudioDecoder.decodeAll(f));
        assertThat(e.reason()).isEqualTo(AudioDecodeException.Reason.NO_AUDIO_STREAM);
        assertThat(e.getMessage()).contains("a video with no audio track");
    }

    @Test
    void corruptFile(@TempDir Path dir) throws Exception {
        // An Ogg/Opus file whose pages after the headers are garbage.
        Path ogg = MediaFixtures.ffmpeg(dir.resolve("speech.ogg"), "-i", TestAudio.SHORT_SENTENCE.toString(), "-c:a", "libopus");
        byte[] b = Files.readAllBytes(ogg);
        java.util.Random r = new java.util.Random(7);
        for (int i = 200; i < b.length; i++) {
            b[i] = (byte) r.nextInt();
        }
        Path bad = Files.write(dir.resolve("corrupt.ogg"), b);
        AudioDecodeException e = catchThrowableOfType(AudioDecodeException.class, () -> MediaAudioDecoder.decodeAll(bad));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isIn(AudioDecodeException.Reason.CORRUPT, AudioDecodeException.Reason.NOT_MEDIA);
        assertThat(e.getMessage()).containsAnyOf("corrupt", "not a media file");
    }
}
