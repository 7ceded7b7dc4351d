package org.steno.recorder.ogg;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An Ogg/Opus file (RFC 7845) built from Opus packets as they came off the wire: no
 * re-encoding. Mono head, no pre-skip (RTP packets carry no encoder delay to skip), so
 * sample 0 of the file is sample 0 of the first packet.
 */
public final class OggOpusFile implements AutoCloseable {

    private final OutputStream out;
    private final OggPageWriter pages;
    private long granule;
    private int packetsOnPage;

    public OggOpusFile(Path file, Map<String, String> tags) throws IOException {
        this(file, tags, 0);
    }

    /**
     * @param preSkip samples a player drops from the start (RFC 7845 §4.2): the encoder's look-ahead
     *                when we encoded the audio ourselves, so the file lines up with its source
     */
    public OggOpusFile(Path file, Map<String, String> tags, int preSkip) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        this.pages = new OggPageWriter(out, (int) (System.nanoTime() ^ file.hashCode()));
        pages.packet(opusHead(preSkip), 0);
        pages.flush(false);
        pages.packet(opusTags(tags), 0);
        pages.flush(false);
    }

    /** Appends a packet lasting {@code samples} (48 kHz). */
    public void write(byte[] packet, int samples) throws IOException {
        granule += samples;
        pages.packet(packet, granule);
        // About a second per page: small enough for streaming readers, few enough pages to stay cheap.
        if (++packetsOnPage >= 50) {
            pages.flush(false);
            packetsOnPage = 0;
        }
    }

    /** Samples written so far. */
    public long samples() {
        return granule;
    }

    @Override
    public void close() throws IOException {
        try {
            pages.flush(true);
        } finally {
            out.close();
        }
    }

    static byte[] opusHead(int preSkip) {
        byte[] h = new byte[19];
        System.arraycopy("OpusHead".getBytes(StandardCharsets.US_ASCII), 0, h, 0, 8);
        h[8] = 1;          // version
        h[9] = 1;          // channels: WebRTC voice is mono; stereo packets are down-mixed by players
        h[10] = (byte) preSkip; // pre-skip (LE16)
        h[11] = (byte) (preSkip >>> 8);
        int rate = 48000;  // input sample rate, informational
        h[12] = (byte) rate;
        h[13] = (byte) (rate >>> 8);
        h[14] = (byte) (rate >>> 16);
        h[15] = (byte) (rate >>> 24);
        h[16] = 0;         // output gain
        h[17] = 0;
        h[18] = 0;         // mapping family 0: mono/stereo
        return h;
    }

    static byte[] opusTags(Map<String, String> tags) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes("OpusTags".getBytes(StandardCharsets.US_ASCII));
        byte[] vendor = "steno-recorder".getBytes(StandardCharsets.UTF_8);
        writeLe32(b, vendor.length);
        b.writeBytes(vendor);
        writeLe32(b, tags.size());
        for (Map.Entry<String, String> e : tags.entrySet()) {
            byte[] c = (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8);
            writeLe32(b, c.length);
            b.writeBytes(c);
        }
        return b.toByteArray();
    }

    private static void writeLe32(java.io.ByteArrayOutputStream b, int v) {
        b.write(v);
        b.write(v >>> 8);
        b.write(v >>> 16);
        b.write(v >>> 24);
    }

    /** The audio packets of an Ogg/Opus file (head and tags skipped). */
    public static java.util.List<byte[]> audioPackets(byte[] file) throws IOException {
        java.util.List<byte[]> all = OggPacketReader.packets(file);
        if (all.size() < 2) {
            return java.util.List.of();
        }
        return all.subList(2, all.size());
    }
}
