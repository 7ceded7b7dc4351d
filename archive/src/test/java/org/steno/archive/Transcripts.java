package org.steno.archive;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;

/** Transcripts shaped like the pipeline's, built in tests. */
public final class Transcripts {

    private Transcripts() {
    }

    /** A transcript of a meeting starting at {@code start}; lines are "Speaker|seconds|text". */
    public static Transcript of(String meetingId, String title, String language, Instant start, String... lines) {
        Transcript.Builder t = Transcript.newBuilder().setSchemaVersion(1).setTranscriptId("live-0").setMeetingId(meetingId)
                .setTitle(title).setLanguageCode(language)
                .setMeetingStartTime(Timestamp.newBuilder().setSeconds(start.getEpochSecond()));
        java.util.Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (String line : lines) {
            String[] p = line.split("\\|", 3);
            String id = ids.computeIfAbsent(p[0], n -> "s" + (ids.size() + 1));
            double at = Double.parseDouble(p[1]);
            long ms = Math.round(at * 1000);
            t.addSegments(Segment.newBuilder().setSegmentId("t-" + ms).setSpeakerId(id).setTrackId("t")
                    .setMediaStart(Duration.newBuilder().setSeconds(ms / 1000).setNanos((int) (ms % 1000) * 1_000_000))
                    .setMediaEnd(Duration.newBuilder().setSeconds(ms / 1000 + 3))
                    .setText(p[2]));
        }
        ids.forEach((name, id) -> t.addSpeakers(Speaker.newBuilder().setSpeakerId(id).setDisplayName(name)
                .setIdentity("local:" + name.toLowerCase(java.util.Locale.ROOT).replace(' ', '.'))));
        return t.build();
    }
}
