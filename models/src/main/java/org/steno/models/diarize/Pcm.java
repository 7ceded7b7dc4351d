package org.steno.models.diarize;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * 16-bit PCM helpers for the diarizer: s16le bytes ↔ float samples, WAV (RIFF, 16-bit PCM)
 * reading and writing, mono down-mix and resampling to 16 kHz with a windowed-sinc filter.
 */
public final class Pcm {

    private Pcm() {
    }

    /** Decodes s16le mono bytes [offset, offset + length) to samples in [-1, 1]. */
    public static float[] fromS16le(byte[] bytes, int offset, int length) {
        float[] out = new float[length / 2];
        for (int i = 0; i < out.length; i++) {
            int lo = bytes[offset + 2 * i] & 0xff;
            int hi = bytes[offset + 2 * i + 1];
            out[i] = (short) ((hi << 8) | lo) / 32768f;
        }
        return out;
    }

    public static byte[] toS16le(float[] samples) {
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            int v = (int) Math.round(Math.max(-1, Math.min(1, samples[i])) * 32767);
            out[2 * i] = (byte) v;
            out[2 * i + 1] = (byte) (v >> 8);
        }
        return out;
    }

    /** Audio read from a file: mono samples and their rate. */
    public record Audio(float[] samples, int sampleRate) {
        public double seconds() {
            return (double) samples.length / sampleRate;
        }
    }

    /**
     * Parses a RIFF/WAVE file holding 16-bit PCM, any rate, any channel count (down-mixed to
     * mono). Throws IllegalArgumentException naming what is wrong for anything else.
     */
    public static Audio parseWav(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IllegalArgumentException("not a WAV file: no RIFF/WAVE header");
        }
        int pos = 12;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int format = 0;
        while (pos + 8 <= file.length) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (size < 0 || body + (long) size > file.length) {
                // Streams written by a pipe put 0 or -1 in the data size: read to the end.
                size = file.length - body;
            }
            if (id == 0x20746d66) { // "fmt "
                format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2) & 0xffff;
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14) & 0xffff;
            } else if (id == 0x61746164) { // "data"
                if (format != 1 && format != 0xfffe || bits != 16 || channels < 1) {
                    throw new IllegalArgumentException("WAV must hold 16-bit PCM; got format " + format + ", " + bits + " bits, " + channels + " channels");
                }
                int frames = size / (2 * channels);
                float[] mono = new float[frames];
                for (int i = 0; i < frames; i++) {
                    float sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += b.getShort(body + 2 * (i * channels + c)) / 32768f;
                    }
                    mono[i] = sum / channels;
                }
                return new Audio(mono, rate);
            }
            pos = body + size + (size & 1);
        }
        throw new IllegalArgumentException("WAV file has no data chunk");
    }

    public static Audio readWav(Path path) throws IOException {
        return parseWav(Files.readAllBytes(path));
    }

    public static void writeWav(Path path, float[] samples, int sampleRate) throws IOException {
        byte[] pcm = toS16le(samples);
        ByteBuffer b = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + pcm.length).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(sampleRate)
                .putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        b.putInt(0x61746164).putInt(pcm.length).put(pcm);
        Files.write(path, b.array());
    }

    /**
     * Resamples with a Hann-windowed sinc low-pass at 0.9 × the lower Nyquist frequency
     * (32 taps each side), which keeps aliasing out of the band the features look at.
     */
    public static float[] resample(float[] in, int fromRate, int toRate) {
        if (fromRate == toRate) {
            return in.clone();
        }
        int taps = 32;
        double ratio = (double) toRate / fromRate;
        double cutoff = 0.9 * Math.min(1.0, ratio); // relative to the input Nyquist
        int outLength = (int) Math.floor(in.length * ratio);
        float[] out = new float[outLength];
        double halfWidth = taps / cutoff;
        for (int i = 0; i < outLength; i++) {
            double centre = i / ratio;
            int first = (int) Math.ceil(centre - halfWidth);
            int last = (int) Math.floor(centre + halfWidth);
            double sum = 0;
            for (int j = Math.max(0, first); j <= Math.min(in.length - 1, last); j++) {
                double x = (j - centre) * cutoff;
                double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
                double w = 0.5 + 0.5 * Math.cos(Math.PI * (j - centre) / halfWidth);
                sum += in[j] * sinc * w * cutoff;
            }
            out[i] = (float) sum;
        }
        return out;
    }
}
