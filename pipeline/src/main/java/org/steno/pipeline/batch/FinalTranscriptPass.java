package org.steno.pipeline.batch;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.pipeline.transcript.TranscriptFiles;
import org.steno.proto.transcript.v1.CoverageGap;
import org.steno.proto.transcript.v1.Engine;
import org.steno.proto.transcript.v1.ProcessingInfo;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.proto.transcript.v1.TranscriptStatus;
import org.steno.proto.transcript.v1.Word;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The better transcript after the meeting: every microphone track of a finished recording
 * ({@code recordings/<r>/manifest.json}) is transcribed whole by a {@link TrackTranscriber}, and
 * the result is stored beside the live one as transcript {@code final-<r>} (the live
 * {@code live-*} transcript stays: the archive shows the newest and keeps the older). A speaker is
 * the track's person (named as in the recording, identity as in the live transcript); the voices
 * the engine tells apart on one track become speakers of their own only where the live transcript
 * diarized that person's microphone (a shared room microphone), never on a personal one. A track
 * the engine cannot read is a coverage gap (the transcript is then PARTIAL); an engine that is
 * down or refuses us fails the pass and nothing is written.
 */
public final class FinalTranscriptPass {

    private static final Logger LOG = LoggerFactory.getLogger(FinalTranscriptPass.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    public static final String PREFIX = org.steno.storage.TranscriptVersions.FINAL_PREFIX;

    /** What the pass wrote. */
    public record Result(String transcriptKey, int tracks, int segments, int gaps) {
    }

    private final Supplier<S3Client> client;
    private final String bucket;
    private final TrackTranscriber transcriber;
    private final Clock clock;

    public FinalTranscriptPass(Supplier<S3Client> client, String bucket, TrackTranscriber transcriber, Clock clock) {
        this.client = client;
        this.bucket = bucket;
        this.transcriber = transcriber;
        this.clock = clock;
    }

    public static String transcriptId(String recordingId) {
        return org.steno.storage.TranscriptVersions.finalFor(recordingId);
    }

    /**
     * @throws IllegalArgumentException when the recording has no readable manifest (not finished)
     * @throws IOException when the engine is unavailable or refuses us, or storage fails
     */
    public Result run(String meetingId, String recordingId) throws IOException, InterruptedException {
        S3Client c = client.get();
        String base = "meetings/" + meetingId + "/";
        JsonNode manifest = manifest(c, base + "recordings/" + recordingId + "/manifest.json");
        Instant recordingStart = Instant.parse(manifest.path("startedAt").asString());
        Optional<Transcript> live = liveTranscript(c, base, recordingStart);
        Instant meetingStart = live.filter(Transcript::hasMeetingStartTime)
                .map(t -> Instant.ofEpochSecond(t.getMeetingStartTime().getSeconds(), t.getMeetingStartTime().getNanos()))
                .orElse(recordingStart);
        long shiftMs = Math.max(0, recordingStart.toEpochMilli() - meetingStart.toEpochMilli());
        // No live transcript (captions were off): empty lets WhisperX detect the language rather than forcing English.
        String language = live.map(Transcript::getLanguageCode).filter(l -> !l.isEmpty()).orElse("");

        Map<String, Speaker> speakers = new LinkedHashMap<>();
        List<Segment> segments = new ArrayList<>();
        List<CoverageGap> gaps = new ArrayList<>();
        int tracks = 0;
        for (JsonNode f : manifest.path("files")) {
            String source = f.path("source").asString("");
            if (!f.path("kind").asString("").equals("audio") || !(source.isEmpty() || source.equals("microphone"))) {
                continue;
            }
            String key = f.path("key").asString("");
            if (!key.startsWith(base + "recordings/" + recordingId + "/")) {
                continue; // a manifest names only its own files; anything else is not read
            }
            tracks++;
            String trackId = f.path("trackId").asString("");
            long offsetMs = shiftMs + f.path("offsetMs").asLong(0);
            long durationMs = f.path("durationMs").asLong(0);
            List<TrackTranscriber.Utterance> said;
            try {
                byte[] audio;
                try {
                    audio = c.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
                } catch (NoSuchKeyException gone) {
                    throw new TrackTranscriber.UnreadableTrack("the track's file is not in the bucket");
                }
                said = transcriber.transcribe(audio, "track.ogg", language);
            } catch (TrackTranscriber.UnreadableTrack e) {
                LOG.warn("meeting {}: recording {}: track {} not transcribed: {}", meetingId, recordingId, trackId, e.getMessage());
                gaps.add(CoverageGap.newBuilder().setTrackId(trackId).setMediaStart(duration(offsetMs))
                        .setMediaEnd(duration(offsetMs + durationMs)).setReason(e.getMessage()).build());
                continue;
            }
            TrackSpeakers who = new TrackSpeakers(f, live, speakers);
            int n = 0;
            for (TrackTranscriber.Utterance u : said) {
                if (u.text().isBlank()) {
                    continue;
                }
                segments.add(segment(meetingId, trackId, n++, who.of(u.voice()), offsetMs, u, language));
            }
        }
        segments.sort(Comparator.comparingLong((Segment s) -> ms(s.getMediaStart())).thenComparing(Segment::getSegmentId));
        long now = clock.millis();
        Transcript.Builder t = Transcript.newBuilder()
                .setSchemaVersion(1)
                .setTranscriptId(transcriptId(recordingId))
                .setMeetingId(meetingId)
                .setRecordingId(recordingId)
                .setTitle(live.map(Transcript::getTitle).orElse(""))
                .setLanguageCode(language)
                .setStatus(gaps.isEmpty() ? TranscriptStatus.TRANSCRIPT_STATUS_COMPLETE : TranscriptStatus.TRANSCRIPT_STATUS_PARTIAL)
                .setCreateTime(Timestamps.fromMillis(now))
                .setMeetingStartTime(Timestamp.newBuilder().setSeconds(meetingStart.getEpochSecond()).setNanos(meetingStart.getNano()))
                .setMediaDuration(duration(shiftMs + manifest.path("durationMs").asLong(0)))
                .addAllSpeakers(speakers.values())
                .addAllSegments(segments)
                .addAllGaps(gaps)
                .setProcessing(ProcessingInfo.newBuilder()
                        .setRecognizer(Engine.newBuilder().setName(transcriber.engine()).setModel(transcriber.model()))
                        .setPipelineVersion("final-pass"));
        String key = TranscriptFiles.store(c, bucket, t.build());
        LOG.info("meeting {}: final transcript {} written from recording {} ({} tracks, {} segments, {} gaps)", meetingId, key,
                recordingId, tracks, segments.size(), gaps.size());
        return new Result(key, tracks, segments.size(), gaps.size());
    }

    private JsonNode manifest(S3Client c, String key) {
        try {
            JsonNode m = JSON.readTree(c.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
            if (m == null || !m.path("startedAt").isString() || !m.path("files").isArray()) {
                throw new IllegalArgumentException(key + " is not a recording manifest (startedAt, files)");
            }
            Instant.parse(m.path("startedAt").asString());
            return m;
        } catch (NoSuchKeyException e) {
            throw new IllegalArgumentException("no finished recording at " + key, e);
        } catch (JacksonException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(key + " is not readable: " + e.getMessage(), e);
        }
    }

    /**
     * The live transcript of the meeting's session the recording belongs to, if any: the newest one whose meeting
     * started at or before the recording (a meeting reopened later has later live transcripts of its own).
     */
    private Optional<Transcript> liveTranscript(S3Client c, String base, Instant recordingStart) {
        Transcript best = null;
        for (S3Object o : c.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(base + "transcripts/")).contents()) {
            String k = o.key();
            if (!k.endsWith("/transcript.json") || k.substring((base + "transcripts/").length()).startsWith(PREFIX)) {
                continue;
            }
            try {
                Transcript.Builder b = Transcript.newBuilder();
                JsonFormat.parser().ignoringUnknownFields().merge(c.getObjectAsBytes(r -> r.bucket(bucket).key(k)).asUtf8String(), b);
                boolean sameSession = b.hasMeetingStartTime() && Timestamps.toMillis(b.getMeetingStartTime()) <= recordingStart.toEpochMilli();
                if (sameSession && (best == null || Timestamps.compare(b.getMeetingStartTime(), best.getMeetingStartTime()) > 0)) {
                    best = b.build();
                }
            } catch (InvalidProtocolBufferException e) {
                LOG.warn("{} is not a readable transcript; the final pass goes without it: {}", k, e.getMessage());
            }
        }
        return Optional.ofNullable(best);
    }

    private static Segment segment(String meetingId, String trackId, int n, String speakerId, long offsetMs,
                                   TrackTranscriber.Utterance u, String language) {
        Segment.Builder s = Segment.newBuilder()
                .setSegmentId("f-" + trackId + "-" + n)
                .setSpeakerId(speakerId)
                .setTrackId(trackId)
                .setMediaStart(duration(offsetMs + u.startMs()))
                .setMediaEnd(duration(offsetMs + Math.max(u.startMs(), u.endMs())))
                .setText(u.text().strip())
                .setLanguageCode(language);
        List<TrackTranscriber.TimedWord> ws = u.words();
        double sum = 0;
        for (int i = 0; i < ws.size(); i++) {
            TrackTranscriber.TimedWord w = ws.get(i);
            long start = w.startMs();
            long end = w.endMs();
            if (start < 0 || end < start) {
                // Not aligned (numbers, symbols): its share of the segment, in order.
                long span = Math.max(1, u.endMs() - u.startMs());
                start = u.startMs() + span * i / ws.size();
                end = u.startMs() + span * (i + 1) / ws.size();
            }
            s.addWords(Word.newBuilder().setText(w.text()).setMediaStart(duration(offsetMs + start))
                    .setMediaEnd(duration(offsetMs + end)).setConfidence(w.confidence()));
            sum += w.confidence();
        }
        if (!ws.isEmpty()) {
            s.setConfidence((float) (sum / ws.size()));
        }
        return s.build();
    }

    /** The speakers of one track: its person, or on a shared microphone one per voice. */
    private static final class TrackSpeakers {
        private final JsonNode file;
        private final Map<String, Speaker> all;
        private final boolean shared;
        private final String identity;
        private final Map<String, String> voices = new LinkedHashMap<>();

        TrackSpeakers(JsonNode file, Optional<Transcript> live, Map<String, Speaker> all) {
            this.file = file;
            this.all = all;
            String participant = file.path("participantId").asString("");
            List<Speaker> known = live.map(Transcript::getSpeakersList).orElse(List.of()).stream()
                    .filter(s -> s.getParticipantId().equals(participant)).toList();
            this.shared = known.stream().anyMatch(Speaker::getIsDiarized);
            this.identity = known.stream().map(Speaker::getIdentity).filter(i -> !i.isEmpty()).findFirst().orElse("");
        }

        String of(String voice) {
            String key = shared ? voice : "";
            return voices.computeIfAbsent(key, v -> {
                String name = file.path("displayName").asString("");
                String participant = file.path("participantId").asString("");
                Speaker.Builder s = Speaker.newBuilder()
                        .setSpeakerId("s" + (all.size() + 1))
                        .setDisplayName(shared && voices.size() > 0 ? name + " (" + (voices.size() + 1) + ")" : name)
                        .setIdentity(identity)
                        .setParticipantId(participant)
                        .setSourceTrackId(file.path("trackId").asString(""));
                if (shared) {
                    s.setIsDiarized(true).setDiarizationLabel(v);
                }
                Speaker built = s.build();
                all.put(built.getSpeakerId(), built);
                return built.getSpeakerId();
            });
        }
    }

    private static com.google.protobuf.Duration duration(long ms) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(Math.floorDiv(ms, 1000)).setNanos((int) Math.floorMod(ms, 1000) * 1_000_000).build();
    }

    private static long ms(com.google.protobuf.Duration d) {
        return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
    }
}
