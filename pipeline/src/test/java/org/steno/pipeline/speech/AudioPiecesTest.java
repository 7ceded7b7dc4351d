package org.steno.pipeline.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Joining the unconfirmed audio a reconnected session sends again. */
class AudioPiecesTest {

    static AudioPiece audio(long seg, long mediaMs, int ms) {
        byte[] pcm = new byte[ms * 32];
        Arrays.fill(pcm, (byte) (mediaMs / 20));
        return new AudioPiece(seg, mediaMs, pcm, false);
    }

    static AudioPiece end(long seg, long mediaMs) {
        return new AudioPiece(seg, mediaMs, new byte[0], true);
    }

    @Test
    void contiguousAudioOfASegmentIsJoinedUpToTheCapAndEverythingElseStaysPut() {
        List<AudioPiece> in = List.of(
                audio(0, 0, 20), audio(0, 20, 20), audio(0, 40, 60), audio(0, 100, 20), // 120 ms in a row
                end(0, 120),
                audio(500, 500, 20), audio(500, 520, 20),
                audio(500, 600, 20), // a gap: not joined
                audio(900, 620, 20)); // contiguous but another segment: not joined
        List<AudioPiece> out = AudioPieces.merged(in, 100);

        assertThat(out).extracting(AudioPiece::mediaMs).containsExactly(0L, 100L, 120L, 500L, 600L, 620L);
        assertThat(out).extracting(AudioPiece::durationMs).containsExactly(100L, 20L, 0L, 40L, 20L, 20L);
        assertThat(out.get(2).segmentEnd()).isTrue();
        assertThat(out).extracting(AudioPiece::segmentStartMs).containsExactly(0L, 0L, 0L, 500L, 500L, 900L);
        // The joined piece is exactly the bytes of its parts, in order.
        byte[] expected = new byte[100 * 32];
        int at = 0;
        for (AudioPiece p : in.subList(0, 3)) {
            System.arraycopy(p.pcm(), 0, expected, at, p.pcm().length);
            at += p.pcm().length;
        }
        assertThat(out.get(0).pcm()).isEqualTo(expected);
        // A piece that joins nothing is passed on as it is.
        assertThat(out.get(4)).isSameAs(in.get(7));
    }

    @Test
    void nothingPendingGivesNothing() {
        assertThat(AudioPieces.merged(List.of(), 100)).isEmpty();
    }
}
