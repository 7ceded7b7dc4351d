package org.steno.conference.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a speech-like test tone (bursts of a harmonic tone) as 48 kHz mono 16-bit WAV for Chromium's fake mic. */
final class TestWav {

    private TestWav() {
    }

    static Path write(Path file, double baseHz, double seconds) throws IOException {
        int rate = 48000;
        int n = (int) (rate * seconds);
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(2 * rate)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * n);
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            double envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 1.5 * t); // syllable-ish rhythm
            double v = Math.sin(2 * Math.PI * baseHz * t) + 0.5 * Math.sin(2 * Math.PI * 2 * baseHz * t);
            b.putShort((short) (envelope * v * 9000));
        }
        Files.write(file, b.array());
        return file;
    }
}
