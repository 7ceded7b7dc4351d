package org.steno.recorder.track;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.io.IOException;
import java.util.List;
import org.steno.recorder.mix.PcmSink;
import org.steno.recorder.ogg.OpusPackets;
import org.steno.recorder.store.SegmentRecord;
import org.steno.recorder.store.SegmentSpool;

/**
 * A participant's Opus track: reorders packets, places them on the time line, drops what is
 * not Opus, and copies the rest into Ogg segments untouched. When the mix is recorded it also
 * decodes each packet for the mixer (a packet the decoder rejects is dropped from the file too,
 * so the file never holds audio a player cannot decode).
 */
public final class OpusTrackWriter implements TrackWriter {

    private record Packet(long ssrc, long timestamp, byte[] payload, long mediaTime) {
    }

    private final TrackIdentity id;
    private final SegmentedOggWriter out;
    private final TrackTimeline timeline;
    private final SequenceUnwrapper sequence = new SequenceUnwrapper(16);
    private final JitterBuffer<Packet> jitter = new JitterBuffer<>(5);
    private final PcmSink mixer;
    private final OpusDecoder decoder;
    private final short[] pcm = new short[OpusPackets.MAX_SAMPLES];
    private long ssrc = -1;
    private boolean muted;
    private boolean mutedSinceLastPacket;
    private long packets;
    private long written;
    private long late;
    private long corrupt;
    private long ssrcChanges;

    public OpusTrackWriter(TrackIdentity id, SegmentSpool spool, long segmentMillis,
                           java.util.function.LongSupplier recordingStartMicros,
                           PcmSink mixer) {
        this.id = id;
        this.out = new SegmentedOggWriter(spool, id, segmentMillis);
        this.timeline = new TrackTimeline(48000, recordingStartMicros);
        this.mixer = mixer;
        try {
            this.decoder = mixer == PcmSink.NONE ? null : new OpusDecoder(48000, 1);
        } catch (OpusException e) {
            throw new IllegalStateException("cannot create an Opus decoder", e);
        }
    }

    @Override
    public void packet(long packetSsrc, int sequenceNumber, long rtpTimestamp, boolean marker, byte[] payload,
                       long mediaTimeMicros) throws IOException {
        packets++;
        if (packetSsrc != ssrc) {
            if (ssrc != -1) {
                ssrcChanges++;
                for (Packet p : jitter.drain()) {
                    place(p);
                }
            }
            ssrc = packetSsrc;
            sequence.reset();
            jitter.reset();
            timeline.reset();
        }
        long ext = sequence.unwrap(sequenceNumber);
        for (Packet p : jitter.push(ext, new Packet(packetSsrc, rtpTimestamp, payload, mediaTimeMicros))) {
            place(p);
        }
    }

    private void place(Packet p) throws IOException {
        int samples = OpusPackets.samples(p.payload);
        if (samples <= 0) {
            corrupt++;
            return;
        }
        long position = timeline.position(p.timestamp, p.mediaTime);
        if (decoder != null) {
            int n;
            try {
                n = decoder.decode(p.payload, 0, p.payload.length, pcm, 0, OpusPackets.MAX_SAMPLES, false);
            } catch (OpusException | RuntimeException e) {
                corrupt++;
                return;
            }
            long at = out.write(position, p.payload, samples, mutedSinceLastPacket ? "muted" : "no packets");
            if (at < 0) {
                late++;
                return;
            }
            mixer.pcm(id.trackId(), at, pcm, Math.min(n, samples));
        } else if (out.write(position, p.payload, samples, mutedSinceLastPacket ? "muted" : "no packets") < 0) {
            late++;
            return;
        }
        written++;
        mutedSinceLastPacket = muted;
    }

    @Override
    public void muted(boolean isMuted, long mediaTimeMicros) {
        muted = isMuted;
        if (isMuted) {
            mutedSinceLastPacket = true;
        }
    }

    @Override
    public void end(long mediaTimeMicros, long recordingStartMicros) throws IOException {
        for (Packet p : jitter.drain()) {
            place(p);
        }
        if (muted && out.end() >= 0) {
            out.padTo((mediaTimeMicros - recordingStartMicros) * 48 / 1000, "muted");
        }
        out.close();
    }

    @Override
    public void abandon() {
        out.abandon();
    }

    @Override
    public List<SegmentRecord> committed() {
        return out.committed();
    }

    @Override
    public TrackIdentity identity() {
        return id;
    }

    @Override
    public TrackStats stats() {
        return new TrackStats(packets, written, late + jitter.dropped(), corrupt, timeline.resyncs(), ssrcChanges, 0);
    }
}
