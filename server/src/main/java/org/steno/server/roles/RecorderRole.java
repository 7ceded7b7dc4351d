package org.steno.server.roles;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.recorder.Recorder;
import org.steno.recorder.RecorderEvents;
import org.steno.recorder.RecorderHealth;
import org.steno.recorder.RecorderSettings;
import org.steno.recorder.RecordingControl;
import org.steno.recorder.RecordingException;
import org.steno.recorder.RecordingInput;
import org.steno.recorder.RecordingStatus;
import org.steno.recorder.RecordingTaps;
import org.steno.recorder.store.S3ObjectStore;
import org.steno.server.config.StenoConfig;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;
import org.steno.server.storage.S3Storage;

/**
 * The recorder role: recording sessions written to the process's S3 store, spooled under
 * {@code <data.dir>/spool} while it is unreachable. Readiness reports the spool disk and the
 * upload backlog; a full disk makes it not ready (and stops running recordings, which the
 * {@link RecorderEvents} listeners hear about).
 *
 * <p>Media: the recorder reads a meeting through {@link RecordingTaps}; until the SFU's taps are
 * connected with {@link #connectTaps}, starting a recording fails with a sentence saying so.
 */
final class RecorderRole implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(RecorderRole.class);

    private final StenoConfig config;
    private final Supplier<S3Storage> storage;
    private final RecorderSettings settings;
    private final List<RecorderEvents> listeners = new CopyOnWriteArrayList<>();
    private volatile RecordingTaps taps;
    private volatile Recorder recorder;

    RecorderRole(StenoConfig config, Supplier<S3Storage> storage, RecorderSettings settings) {
        this.config = config;
        this.storage = storage;
        this.settings = settings;
    }

    /** Where the recorder gets a meeting's media (the SFU's taps in this process). */
    void connectTaps(RecordingTaps meetingTaps) {
        this.taps = meetingTaps;
    }

    /** Adds a listener for recording events (the notice to participants, the message to the host). */
    void listen(RecorderEvents listener) {
        listeners.add(listener);
    }

    @Override
    public String name() {
        return "recorder";
    }

    @Override
    public void start() throws Exception {
        S3Storage s3 = storage.get();
        Recorder r = new Recorder(new S3ObjectStore(s3.client(), s3.target().bucket()), config.dataDir(), settings,
                new RecordingTaps() {
                    @Override
                    public AutoCloseable attach(String meetingId, RecordingInput input) throws RecordingException {
                        RecordingTaps t = taps;
                        if (t == null) {
                            throw new RecordingException("Recording is not available: this process has no media "
                                    + "plane connected to the recorder.");
                        }
                        return t.attach(meetingId, input);
                    }

                    @Override
                    public long mediaTimeMicros(String meetingId) {
                        RecordingTaps t = taps;
                        return t == null ? -1 : t.mediaTimeMicros(meetingId);
                    }
                }, new Fanout());
        r.start();
        recorder = r;
    }

    /** What the REST route drives; answers "not running" while the role is stopped. */
    RecordingControl control() {
        return new RecordingControl() {
            @Override
            public RecordingStatus start(String meetingId) throws RecordingException {
                return running().start(meetingId);
            }

            @Override
            public Optional<RecordingStatus> stop(String meetingId) {
                Recorder r = recorder;
                return r == null ? Optional.empty() : r.stop(meetingId);
            }

            @Override
            public Optional<RecordingStatus> status(String meetingId) {
                Recorder r = recorder;
                return r == null ? Optional.empty() : r.status(meetingId);
            }

            private Recorder running() throws RecordingException {
                Recorder r = recorder;
                if (r == null) {
                    throw new RecordingException("The recorder is not running.");
                }
                return r;
            }
        };
    }

    @Override
    public void stop() {
        Recorder r = recorder;
        recorder = null;
        if (r != null) {
            r.close();
        }
    }

    @Override
    public Readiness readiness() {
        Recorder r = recorder;
        if (r == null) {
            return Readiness.notReady("not started");
        }
        RecorderHealth h = r.health();
        return h.ready() ? Readiness.ready(h.detail()) : Readiness.notReady(h.detail());
    }

    /** Logs every event and passes it to the listeners. */
    private final class Fanout implements RecorderEvents {
        @Override
        public void recordingStarted(String meetingId, String recordingId) {
            listeners.forEach(l -> l.recordingStarted(meetingId, recordingId));
        }

        @Override
        public void recordingStopped(String meetingId, String recordingId, StopReason reason, String message) {
            if (reason != StopReason.REQUESTED) {
                LOG.warn("recording {} of meeting {} stopped: {} {}", recordingId, meetingId, reason, message);
            }
            listeners.forEach(l -> l.recordingStopped(meetingId, recordingId, reason, message));
        }

        @Override
        public void recordingFinalized(String meetingId, String recordingId, String manifestKey) {
            listeners.forEach(l -> l.recordingFinalized(meetingId, recordingId, manifestKey));
        }

        @Override
        public void keyframeNeeded(String meetingId, String trackId) {
            listeners.forEach(l -> l.keyframeNeeded(meetingId, trackId));
        }
    }
}
