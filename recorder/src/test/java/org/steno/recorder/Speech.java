package org.steno.recorder;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real speech (the pocketsphinx test recordings) turned into the Opus packets a browser would send. */
final class Speech {

    static final Path LIBRIVOX = Path.of("/usr/share/pocketsphinx/test/data/librivox");

    private Speech() {
    }

    /** A 16 kHz mono WAV file's samples, resampled to 48 kHz (linear). */
    static short[] load48k(String name) throws IOException {
        byte[] wav = Files.readAllBytes(LIBRIVOX.resolve(name));
        int data = 12;
        int length = 0;
        while (data + 8 <= wav.length) {
            String id = new String(wav, data, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int size = ByteBuffer.wrap(wav, data + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (id.equals("data")) {
                length = Math.min(size, wav.length - data - 8);
                data += 8;
                break;
            }
            data += 8 + size;
        }
        short[] in = new short[length / 2];
        ByteBuffer.wrap(wav, data, length).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(in);
        short[] out = new short[in.length * 3];
        for (int i = 0; i < out.length; i++) {
            int j = i / 3;
            int next = Math.min(j + 1, in.length - 1);
            out[i] = (short) (in[j] + (in[next] - in[j]) * (i % 3) / 3);
        }
        return out;
    }

    /** Encodes 20 ms frames; the last partial frame is padded with silence. */
    static List<byte[]> encode(short[] pcm) throws Exception {
        OpusEncoder enc = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        enc.setBitrate(32000);
        enc.setComplexity(3);
        List<byte[]> packets = new ArrayList<>();
        byte[] out = new byte[1275];
        for (int off = 0; off < pcm.length; off += 960) {
            short[] frame = new short[960];
            System.arraycopy(pcm, off, frame, 0, Math.min(960, pcm.length - off));
            int n = enc.encode(frame, 0, 960, out, 0, out.length);
            packets.add(java.util.Arrays.copyOf(out, n));
        }
        return packets;
    }

    /** A track's whole signal: silence, the speech placed at {@code speechStartMs}, silence up to {@code totalMs}. */
    static short[] placed(short[] speech, long speechStartMs, long totalMs) {
        short[] all = new short[(int) (totalMs * 48)];
        int at = (int) (speechStartMs * 48);
        System.arraycopy(speech, 0, all, at, Math.min(speech.length, all.length - at));
        return all;
    }
}
