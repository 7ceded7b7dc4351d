package org.steno.conference.ingest;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.mediatap.TapProtos;
import org.steno.conference.meeting.LeaveReason;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingLimitException;
import org.steno.conference.meeting.MeetingNotActiveException;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.Participant;
import org.steno.conference.meeting.ParticipantKind;
import org.steno.conference.meeting.ParticipantRole;
import org.steno.conference.meeting.Track;
import org.steno.conference.meeting.TrackKind;
import org.steno.conference.meeting.TrackSource;
import org.steno.conference.tap.MediaTaps;
import org.steno.conference.tap.MeetingTap;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.media.v1.IngestConfig;
import org.steno.proto.media.v1.IngestPacing;
import org.steno.proto.media.v1.IngestRequest;
import org.steno.proto.media.v1.IngestSummary;

/**
 * One Ingest call: a file-backed participant that joins on config, publishes one INGEST
 * audio track whose 20 ms frames enter the meeting's tap like a browser's, and leaves when
 * the stream ends. Reads one message at a time (manual flow control): in REALTIME pacing the
 * next chunk is requested only when the meeting clock reaches the audio already published,
 * so a fast client is back-pressured, never buffered.
 */
final class IngestStream implements StreamObserver<IngestRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(IngestStream.class);
    private static final int FRAME = 320; // 20 ms at 16 kHz
    /** How far ahead of the meeting clock REALTIME audio may be published. */
    private static final long LEAD_NANOS = 60_000_000L;
    /** A REALTIME client later than this restarts at the clock, leaving silence. */
    private static final long LATE_NANOS = 200_000_000L;
    /** Longest a FAST chunk waits for a slow MediaTap subscriber before that one gets a Gap. */
    private static final long MAX_FAST_WAIT_NANOS = 2_000_000_000L;

    private final MeetingRegistry registry;
    private final MediaTaps taps;
    private final ScheduledExecutorService timer;
    private final ServerCallStreamObserver<IngestSummary> response;

    private IngestConfig config;
    private Meeting meeting;
    private MeetingTap tap;
    private Participant participant;
    private Track track;
    private PcmConverter converter;
    private boolean realtime;
    private long expectedSequence;
    private long chunks;
    private long frames;
    private long audioSamples;
    private Duration mediaStart;
    private Duration next; // media time of the next 16 kHz sample to publish
    private short[] pending = new short[0];
    private boolean done;
    private volatile boolean waitForSubscribers = true;

    IngestStream(MeetingRegistry registry, MediaTaps taps, ScheduledExecutorService timer,
                 ServerCallStreamObserver<IngestSummary> response) {
        this.registry = registry;
        this.taps = taps;
        this.timer = timer;
        this.response = response;
        response.disableAutoRequest();
        response.setOnCancelHandler(() -> {
            synchronized (this) {
                if (!done) {
                    done = true;
                    leave();
                }
            }
        });
    }

    void begin() {
        response.request(1);
    }

    @Override
    public synchronized void onNext(IngestRequest r) {
        if (done) {
            return;
        }
        try {
            switch (r.getRequestCase()) {
                case CONFIG -> configure(r.getConfig());
                case AUDIO -> audio(r.getAudio().getPcm().toByteArray(), r.getAudio().getSequence());
                case END -> {
                    requireConfig();
                    if (r.getEnd().getReason().length() > 200) {
                        throw invalid("end.reason has " + r.getEnd().getReason().length() + " characters; at most 200 are allowed");
                    }
                    finish();
                }
                default -> throw invalid("empty IngestRequest: set config, audio or end");
            }
        } catch (StatusRuntimeException e) {
            fail(e);
        } catch (RuntimeException e) {
            LOG.warn("ingest into {} failed", config == null ? "?" : config.getMeetingId(), e);
            fail(Status.INTERNAL.withDescription("ingest failed on the server: " + e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public synchronized void onError(Throwable t) {
        if (!done) {
            done = true;
            leave();
        }
    }

    @Override
    public synchronized void onCompleted() {
        if (done) {
            return;
        }
        try {
            requireConfig();
            finish();
        } catch (StatusRuntimeException e) {
            fail(e);
        }
    }

    private void configure(IngestConfig c) {
        if (config != null) {
            throw invalid("config was already sent; send it once, as the first message");
        }
        String name = c.getDisplayName().strip();
        if (name.isEmpty() || name.length() > 100) {
            throw invalid("display_name must be 1–100 characters, got " + name.length());
        }
        if (c.getIdentity().isBlank() || c.getIdentity().length() > 200) {
            throw invalid("identity must be 1–200 characters, got " + c.getIdentity().length());
        }
        if (c.getSourceName().length() > 500) {
            throw invalid("source_name has " + c.getSourceName().length() + " characters; at most 500 are allowed");
        }
        AudioFormat f = c.getAudioFormat();
        if (f.getEncoding() != AudioEncoding.AUDIO_ENCODING_LINEAR16 || f.getSampleRateHz() < 8000
                || f.getSampleRateHz() > 48000 || f.getChannels() < 1 || f.getChannels() > 2) {
            throw invalid("audio_format must be LINEAR16, 8000–48000 Hz, 1 or 2 channels; got "
                    + f.getEncoding() + " " + f.getSampleRateHz() + " Hz " + f.getChannels() + " channel(s)");
        }
        if (c.getPacing() == IngestPacing.UNRECOGNIZED) {
            throw invalid("unknown pacing " + c.getPacingValue() + "; use REALTIME or FAST");
        }
        Meeting m = registry.get(c.getMeetingId()).orElse(null);
        MeetingTap t = taps.tap(c.getMeetingId()).orElse(null);
        if (m == null || t == null || m.ended()) {
            throw Status.NOT_FOUND.withDescription("meeting '" + c.getMeetingId() + "' is not active on this node")
                    .asRuntimeException();
        }
        for (Participant p : m.participants()) {
            if (p.identity().equals(c.getIdentity())) {
                throw Status.ALREADY_EXISTS.withDescription("identity '" + c.getIdentity()
                        + "' is already in meeting " + m.id() + "; choose another identity").asRuntimeException();
            }
        }
        try {
            participant = m.join(c.getIdentity(), name, ParticipantRole.PARTICIPANT, ParticipantKind.INGEST);
            track = m.publish(participant.id(), TrackKind.AUDIO, TrackSource.INGEST, "audio/L16", c.getSharedMicrophone());
        } catch (MeetingLimitException e) {
            if (participant != null) {
                m.leave(participant.id(), LeaveReason.INGEST_ENDED);
            }
            throw Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException();
        } catch (MeetingNotActiveException e) {
            throw Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException();
        }
        config = c;
        meeting = m;
        tap = t;
        converter = new PcmConverter(f.getSampleRateHz(), f.getChannels());
        realtime = c.getPacing() != IngestPacing.INGEST_PACING_FAST;
        LOG.info("ingest '{}' ({}) joined meeting {} as {} from '{}', {}", name, c.getIdentity(), m.id(),
                participant.id(), c.getSourceName(), realtime ? "real time" : "fast");
        response.request(1);
    }

    private void audio(byte[] pcm, long sequence) {
        requireConfig();
        if (sequence != expectedSequence) {
            throw invalid("audio.sequence " + Long.toUnsignedString(sequence) + " is out of order; expected " + expectedSequence);
        }
        AudioFormat f = config.getAudioFormat();
        int bytesPerSample = 2 * f.getChannels();
        int maxBytes = Math.min(32 * 1024, f.getSampleRateHz() / 10 * bytesPerSample);
        if (pcm.length > maxBytes) {
            throw invalid("chunk of " + pcm.length + " bytes exceeds " + maxBytes + "; send at most 100 ms and 32 KiB per chunk");
        }
        if (pcm.length % bytesPerSample != 0) {
            throw invalid("chunk of " + pcm.length + " bytes is not a multiple of " + bytesPerSample + " (2 bytes × channels)");
        }
        if (meeting.ended()) {
            throw Status.FAILED_PRECONDITION.withDescription("meeting " + meeting.id()
                    + " ended during ingest; the audio before the end was kept").asRuntimeException();
        }
        expectedSequence++;
        chunks++;
        short[] mono = converter.convert(pcm);
        audioSamples += mono.length;
        if (next == null) {
            next = meeting.mediaTime();
            mediaStart = next;
        } else if (realtime && meeting.mediaTime().minus(next).toNanos() > LATE_NANOS) {
            next = meeting.mediaTime(); // the client fell behind: leave silence, stay live
        }
        short[] all = concat(pending, mono);
        int whole = all.length / FRAME * FRAME;
        for (int off = 0; off < whole; off += FRAME) {
            publish(Arrays.copyOfRange(all, off, off + FRAME));
        }
        pending = Arrays.copyOfRange(all, whole, all.length);
        requestNext();
    }

    private void publish(short[] frame) {
        tap.pushPcm(track.id(), frame, next, false);
        frames++;
        next = next.plusNanos(frame.length * 1_000_000_000L / 16_000);
    }

    private void requestNext() {
        if (!realtime) {
            requestWhenSubscribersKeepUp(System.nanoTime());
            return;
        }
        long wait = next.minus(meeting.mediaTime()).toNanos() - LEAD_NANOS;
        if (wait <= 0) {
            response.request(1);
        } else {
            timer.schedule(() -> {
                try {
                    response.request(1);
                } catch (RuntimeException ignored) {
                    // the call ended meanwhile
                }
            }, wait, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * FAST pacing goes as fast as the taps' subscribers read: while one of them has its send
     * buffer over half full, the next chunk waits. A wait longer than {@link #MAX_FAST_WAIT_NANOS}
     * means a subscriber is stuck: from then on this stream stops waiting and that subscriber
     * gets Gaps instead of stalling the ingest.
     */
    private void requestWhenSubscribersKeepUp(long since) {
        boolean stuck = System.nanoTime() - since > MAX_FAST_WAIT_NANOS;
        if (stuck) {
            waitForSubscribers = false;
            LOG.info("ingest {} of meeting {}: a MediaTap subscriber stopped reading; no longer waiting for it",
                    participant.id(), meeting.id());
        }
        if (!waitForSubscribers || tap.maxBacklogPercent() <= 50) {
            response.request(1);
            return;
        }
        timer.schedule(() -> {
            try {
                requestWhenSubscribersKeepUp(since);
            } catch (RuntimeException ignored) {
                // the call ended meanwhile
            }
        }, 5, TimeUnit.MILLISECONDS);
    }

    private void finish() {
        if (meeting.ended()) {
            fail(Status.FAILED_PRECONDITION.withDescription("meeting " + meeting.id()
                    + " ended during ingest; the audio before the end was kept").asRuntimeException());
            return;
        }
        if (pending.length > 0) {
            publish(pending);
            pending = new short[0];
        }
        done = true;
        Duration start = mediaStart == null ? meeting.mediaTime() : mediaStart;
        Duration end = next == null ? start : next;
        IngestSummary summary = IngestSummary.newBuilder()
                .setParticipantId(participant.id())
                .setTrackId(track.id())
                .setChunksAccepted(chunks)
                .setFramesAccepted(frames)
                .setMediaStart(TapProtos.duration(start))
                .setMediaEnd(TapProtos.duration(end))
                .setAudioDuration(TapProtos.duration(Duration.ofNanos(audioSamples * 1_000_000_000L / 16_000)))
                .build();
        leave();
        LOG.info("ingest {} of meeting {} ended: {} chunks, {} frames", participant.id(), meeting.id(), chunks, frames);
        response.onNext(summary);
        response.onCompleted();
    }

    private void requireConfig() {
        if (config == null) {
            throw invalid("the first message must be config");
        }
    }

    private void fail(StatusRuntimeException e) {
        done = true;
        leave();
        try {
            response.onError(e);
        } catch (RuntimeException ignored) {
            // already cancelled
        }
    }

    private void leave() {
        if (meeting != null && participant != null) {
            meeting.leave(participant.id(), LeaveReason.INGEST_ENDED);
        }
    }

    private static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    private static short[] concat(short[] a, short[] b) {
        if (a.length == 0) {
            return b;
        }
        short[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
