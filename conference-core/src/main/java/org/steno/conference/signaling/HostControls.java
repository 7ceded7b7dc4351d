package org.steno.conference.signaling;

import java.util.Optional;
import org.steno.conference.lobby.Lobby;
import org.steno.conference.meeting.LeaveReason;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingNotActiveException;
import org.steno.conference.meeting.Participant;
import org.steno.conference.meeting.ParticipantRole;
import org.steno.conference.meeting.Track;
import org.steno.conference.meeting.TrackKind;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a host does to others in a live meeting. Whether the caller may is decided before
 * (the server's policy, {@code HOST_MEETING}); this carries it out and tells the people
 * concerned. A host mutes someone's microphone or stops their camera but never turns either
 * back on: they ask, and the person decides.
 */
public final class HostControls {

    /** What happened, for the caller's answer. */
    public enum Result { DONE, UNCHANGED, NOT_FOUND, NOT_A_BROWSER }

    private final SignalingHub hub;
    private final Lobby lobby;

    public HostControls(SignalingHub hub, Lobby lobby) {
        this.hub = hub;
        this.lobby = lobby;
    }

    /** Mutes the participant's microphone ({@code AUDIO}) or stops their camera ({@code VIDEO}); their page follows. */
    public Result mute(String meetingId, String participantId, TrackKind kind) {
        Optional<Meeting> m = hub.registry().get(meetingId);
        Optional<Participant> p = m.flatMap(x -> x.participant(participantId)).filter(Participant::connected);
        if (p.isEmpty()) {
            return Result.NOT_FOUND;
        }
        boolean changed = false;
        for (Track t : m.get().tracks()) {
            if (t.participantId().equals(participantId) && t.kind() == kind) {
                try {
                    changed |= m.get().setMuted(t.id(), true);
                } catch (MeetingNotActiveException ignored) {
                    // unpublished meanwhile
                }
            }
        }
        tell(meetingId, participantId, "muted-by-host", kind);
        return changed ? Result.DONE : Result.UNCHANGED;
    }

    /** Asks the participant to turn their microphone or camera back on; only they can. */
    public Result askToUnmute(String meetingId, String participantId, TrackKind kind) {
        if (hub.registry().get(meetingId).flatMap(x -> x.participant(participantId)).filter(Participant::connected).isEmpty()) {
            return Result.NOT_FOUND;
        }
        return tell(meetingId, participantId, "unmute-requested", kind) ? Result.DONE : Result.NOT_A_BROWSER;
    }

    /** Lowers the participant's raised hand. */
    public Result lowerHand(String meetingId, String participantId) {
        if (hub.registry().get(meetingId).flatMap(x -> x.participant(participantId)).filter(Participant::connected).isEmpty()) {
            return Result.NOT_FOUND;
        }
        boolean was = hub.handsRaised(meetingId).contains(participantId);
        hub.setHand(meetingId, participantId, false);
        return was ? Result.DONE : Result.UNCHANGED;
    }

    /** Removes the participant: they leave now, and wait in the lobby if they come back. */
    public Result remove(String meetingId, String participantId) {
        Optional<Meeting> m = hub.registry().get(meetingId);
        Optional<Participant> p = m.flatMap(x -> x.participant(participantId)).filter(Participant::connected);
        if (p.isEmpty()) {
            return Result.NOT_FOUND;
        }
        lobby.removed(meetingId, p.get().identity());
        SignalingSession s = hub.sessionOf(meetingId, participantId);
        if (s != null) {
            s.removedByHost();
        } else {
            m.get().leave(participantId, LeaveReason.REMOVED); // a replayed file or another ingest
        }
        return Result.DONE;
    }

    /** Makes the participant a co-host for this session ({@code true}) or a participant again. */
    public Result setHost(String meetingId, String participantId, boolean host) {
        Optional<Meeting> m = hub.registry().get(meetingId);
        if (m.flatMap(x -> x.participant(participantId)).filter(Participant::connected).isEmpty()) {
            return Result.NOT_FOUND;
        }
        boolean changed;
        try {
            changed = m.get().setRole(participantId, host ? ParticipantRole.HOST : ParticipantRole.PARTICIPANT);
        } catch (MeetingNotActiveException e) {
            return Result.NOT_FOUND;
        }
        SignalingSession s = hub.sessionOf(meetingId, participantId);
        if (changed && host && s != null) {
            hub.sendLobby(s);
        }
        return changed ? Result.DONE : Result.UNCHANGED;
    }

    /** Locks the meeting (everyone new waits in the lobby) or unlocks it; everyone in it is told. */
    public Result lock(String meetingId, boolean locked) {
        if (hub.registry().get(meetingId).isEmpty()) {
            return Result.NOT_FOUND;
        }
        boolean was = lobby.locked(meetingId);
        lobby.lock(meetingId, locked);
        ObjectNode n = Messages.of("meeting-locked");
        n.put("locked", locked);
        hub.broadcast(meetingId, n.toString());
        return was == locked ? Result.UNCHANGED : Result.DONE;
    }

    /** The participant's identity (from their join token), e.g. to find their account. */
    public Optional<String> identity(String meetingId, String participantId) {
        return hub.registry().get(meetingId).flatMap(x -> x.participant(participantId)).filter(Participant::connected)
                .map(Participant::identity);
    }

    private boolean tell(String meetingId, String participantId, String type, TrackKind kind) {
        SignalingSession s = hub.sessionOf(meetingId, participantId);
        if (s == null) {
            return false;
        }
        ObjectNode n = Messages.of(type);
        n.put("kind", Messages.lower(kind.name()));
        s.send(n.toString());
        return true;
    }
}
