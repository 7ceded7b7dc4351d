package org.steno.simulator.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed media files read as what they are, the packetizer's RFC 7741 descriptors, and broken files refused. */
class MediaFilesTest {

    @Test
    void theFilesHoldTenSecondsOfOpusOneOfSilenceAndTenOfVp8StartingWithAKeyframe() {
        MediaFiles m = MediaFiles.get();
        // 10 s and 1 s of 20 ms packets (the encoder's pre-skip adds one).
        assertThat(m.talk().size()).isBetween(500, 502);
        assertThat(m.silence().size()).isBetween(50, 52);
        for (byte[] p : m.talk()) {
            // RFC 6716 §3.1: a TOC byte with frame count code 0, one frame per packet.
            assertThat(p[0] & 0x03).isZero();
            assertThat(p.length).isBetween(2, 400);
        }
        assertThat(m.silence().stream().mapToInt(p -> p.length).max().orElseThrow()).isLessThan(20);
        List<MediaFiles.Vp8Frame> camera = m.camera();
        assertThat(camera).hasSize(50);
        assertThat(camera.get(0).keyframe()).isTrue();
        assertThat(camera.subList(1, camera.size())).noneMatch(MediaFiles.Vp8Frame::keyframe);
    }

    @Test
    void aFrameIsSplitIntoPayloadsWithTheStartBitOnTheFirstOnly() {
        byte[] frame = new byte[2500];
        Arrays.fill(frame, (byte) 7);
        List<byte[]> p = Vp8Packetizer.payloads(frame);
        assertThat(p).hasSize(3);
        assertThat(p.get(0)[0]).isEqualTo((byte) 0x10);
        assertThat(p.get(1)[0]).isEqualTo((byte) 0x00);
        assertThat(p.stream().mapToInt(b -> b.length - 1).sum()).isEqualTo(2500);
        assertThat(p).allSatisfy(b -> assertThat(b.length).isLessThanOrEqualTo(Vp8Packetizer.MAX_PAYLOAD + 1));
    }

    @Test
    void brokenFilesAreRefusedWithAReason() {
        assertThatThrownBy(() -> OggOpusReader.packets("not ogg at all, just text....".getBytes()))
                .hasMessageContaining("not an Ogg page");
        assertThatThrownBy(() -> IvfReader.frames(new byte[40])).hasMessage("not a VP8 IVF file");
        byte[] ivf = new byte[32 + 12 + 4];
        System.arraycopy("DKIF".getBytes(), 0, ivf, 0, 4);
        ivf[6] = 32;
        System.arraycopy("VP80".getBytes(), 0, ivf, 8, 4);
        ivf[32] = (byte) 200; // a frame of 200 bytes, 4 present
        assertThatThrownBy(() -> IvfReader.frames(ivf)).hasMessageContaining("truncated IVF frame");
    }
}
