package org.steno.conference.mediatap;

import com.google.protobuf.ByteString;
import java.time.Instant;
import org.steno.conference.meeting.EndReason;
import org.steno.conference.meeting.LeaveReason;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.tap.PcmFrame;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.media.v1.AudioFrame;
import org.steno.proto.media.v1.MeetingEndReason;
import org.steno.proto.media.v1.MeetingEnded;
import org.steno.proto.media.v1.MeetingInfo;
import org.steno.proto.media.v1.Participant;
import org.steno.proto.media.v1.ParticipantKind;
import org.steno.proto.media.v1.ParticipantRole;
import org.steno.proto.media.v1.Track;
import org.steno.proto.media.v1.TrackKind;
import org.steno.proto.media.v1.TrackSource;

/** Conversions from the registry's and the tap's Java types to the steno.media.v1 messages. */
public final class TapProtos {

    /** The only format MediaTap produces: LINEAR16, 16 kHz, mono. */
    public static final AudioFormat PCM_16K_MONO = AudioFormat.newBuilder()
            .setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16).setSampleRateHz(16_000).setChannels(1).build();

    private TapProtos() {
    }

    public static com.google.protobuf.Duration duration(java.time.Duration d) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }

    public static java.time.Duration duration(com.google.protobuf.Duration d) {
        return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }

    public static com.google.protobuf.Timestamp timestamp(Instant i) {
        return com.google.protobuf.Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    public static MeetingInfo meetingInfo(Meeting m) {
        synchronized (m) {
            MeetingInfo.Builder b = MeetingInfo.newBuilder();
            if (m.captionsSince() != null) {
                b.setCaptionsSince(duration(m.captionsSince()));
            }
            return b
                    .setMeetingId(m.id())
                    .setTitle(m.title())
                    .setStartTime(timestamp(m.createdAt()))
                    .setMediaTime(duration(m.mediaTime()))
                    .setParticipantCount(m.participantCount())
                    .setCaptionsEnabled(m.captionsEnabled())
                    .setLanguage(m.language())
                    .setRecording(m.recording())
                    .setRecordingId(m.recordingId())
                    .build();
        }
    }

    public static MeetingEnded meetingEnded(Meeting m, EndReason reason) {
        return MeetingEnded.newBuilder()
                .setMeetingId(m.id())
                .setEndTime(timestamp(Instant.now()))
                .setMediaDuration(duration(m.mediaTime()))
                .setReason(endReason(reason))
                .build();
    }

    public static MeetingEndReason endReason(EndReason r) {
        return switch (r) {
            case ENDED_BY_HOST -> MeetingEndReason.MEETING_END_REASON_ENDED_BY_HOST;
            case EMPTY_TIMEOUT -> MeetingEndReason.MEETING_END_REASON_EMPTY_TIMEOUT;
            case SERVER_SHUTDOWN -> MeetingEndReason.MEETING_END_REASON_SERVER_SHUTDOWN;
            case MAX_DURATION -> MeetingEndReason.MEETING_END_REASON_MAX_DURATION;
        };
    }

    public static Participant participant(org.steno.conference.meeting.Participant p) {
        return Participant.newBuilder()
                .setParticipantId(p.id())
                .setIdentity(p.identity())
                .setDisplayName(p.displayName())
                .setRole(switch (p.role()) {
                    case HOST -> ParticipantRole.PARTICIPANT_ROLE_HOST;
                    case PARTICIPANT -> ParticipantRole.PARTICIPANT_ROLE_GUEST;
                })
                .setKind(switch (p.kind()) {
                    case BROWSER -> ParticipantKind.PARTICIPANT_KIND_BROWSER;
                    case INGEST -> ParticipantKind.PARTICIPANT_KIND_INGEST;
                })
                .setJoinedAt(duration(p.joinedAt()))
                .build();
    }

    public static Track track(org.steno.conference.meeting.Track t) {
        return Track.newBuilder()
                .setTrackId(t.id())
                .setParticipantId(t.participantId())
                .setKind(t.kind() == org.steno.conference.meeting.TrackKind.AUDIO
                        ? TrackKind.TRACK_KIND_AUDIO : TrackKind.TRACK_KIND_VIDEO)
                .setSource(switch (t.source()) {
                    case MICROPHONE -> TrackSource.TRACK_SOURCE_MICROPHONE;
                    case CAMERA -> TrackSource.TRACK_SOURCE_CAMERA;
                    case SCREEN -> TrackSource.TRACK_SOURCE_SCREEN;
                    case INGEST -> TrackSource.TRACK_SOURCE_INGEST;
                })
                .setMuted(t.muted())
                .setSharedMicrophone(t.sharedMicrophone())
                .setCodec(t.codec())
                .setPublishedAt(duration(t.publishedAt()))
                .build();
    }

    public static org.steno.proto.media.v1.LeaveReason leaveReason(LeaveReason r) {
        if (r == null) {
            return org.steno.proto.media.v1.LeaveReason.LEAVE_REASON_UNSPECIFIED;
        }
        return switch (r) {
            case LEFT -> org.steno.proto.media.v1.LeaveReason.LEAVE_REASON_LEFT;
            case REMOVED -> org.steno.proto.media.v1.LeaveReason.LEAVE_REASON_REMOVED;
            case CONNECTION_LOST -> org.steno.proto.media.v1.LeaveReason.LEAVE_REASON_CONNECTION_LOST;
            case INGEST_ENDED -> org.steno.proto.media.v1.LeaveReason.LEAVE_REASON_INGEST_ENDED;
            case MEETING_ENDED -> org.steno.proto.media.v1.LeaveReason.LEAVE_REASON_MEETING_ENDED;
        };
    }

    public static AudioFrame audioFrame(PcmFrame f) {
        return AudioFrame.newBuilder()
                .setTrackId(f.trackId())
                .setParticipantId(f.participantId())
                .setSpeakerIdentity(f.speakerIdentity())
                .setSpeakerDisplayName(f.speakerDisplayName())
                .setIsMix(f.mix())
                .setSequence(f.sequence())
                .setMediaTime(duration(f.mediaTime()))
                .setSampleRateHz(PcmFrame.SAMPLE_RATE)
                .setChannels(1)
                .setPcm(ByteString.copyFrom(f.pcmBytes()))
                .setConcealed(f.concealed())
                .setLevelDbov(f.levelDbov())
                .build();
    }
}
