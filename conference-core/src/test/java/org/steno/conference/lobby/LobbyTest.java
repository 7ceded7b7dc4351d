package org.steno.conference.lobby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LobbyTest {

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final MovingClock clock = new MovingClock();
    private final List<List<Lobby.Request>> seen = new CopyOnWriteArrayList<>();
    private final Lobby lobby = new Lobby(clock, Duration.ofMinutes(5), (m, waiting) -> seen.add(waiting));

    @Test
    void aRequestWaitsUntilAHostAdmitsItAndTheAdmissionIsReadOnce() {
        Lobby.Answer first = lobby.ask("m1", "k1", "Guest", null, null);
        assertThat(first.outcome()).isEqualTo(Lobby.Outcome.WAITING);
        assertThat(seen).last().asList().extracting("displayName").containsExactly("Guest");
        Lobby.Answer again = lobby.ask("m1", "k1", "Guest", null, null);
        assertThat(again.request().id()).as("asking again is the same request").isEqualTo(first.request().id());
        assertThat(lobby.waiting("m1")).hasSize(1);

        assertThat(lobby.decide("m1", first.request().id(), true)).isTrue();
        assertThat(lobby.waiting("m1")).isEmpty();
        assertThat(seen).last().asList().isEmpty();
        assertThat(lobby.decide("m1", first.request().id(), true)).as("already decided").isFalse();
        assertThat(lobby.ask("m1", "k1", "Guest", null, null).outcome()).isEqualTo(Lobby.Outcome.ADMITTED);
        assertThat(lobby.ask("m1", "k1", "Guest", null, null).outcome()).as("read once: a new request").isEqualTo(Lobby.Outcome.WAITING);
    }

    @Test
    void aDenialIsToldAndAskingAgainIsANewRequest() {
        Lobby.Answer a = lobby.ask("m1", "k1", "Guest", null, null);
        lobby.decide("m1", a.request().id(), false);
        assertThat(lobby.ask("m1", "k1", "Guest", null, null).outcome()).isEqualTo(Lobby.Outcome.DENIED);
        Lobby.Answer b = lobby.ask("m1", "k1", "Guest", null, null);
        assertThat(b.outcome()).isEqualTo(Lobby.Outcome.WAITING);
        assertThat(b.request().id()).isNotEqualTo(a.request().id());
    }

    @Test
    void requestsTimeOutAndAbandonedOnesDisappear() {
        Lobby.Answer a = lobby.ask("m1", "k1", "Patient", null, null);
        lobby.ask("m1", "k2", "Gone", null, null);
        for (int i = 0; i < 10; i++) { // the patient one keeps asking every 20 s; the other closed its page
            clock.advance(Duration.ofSeconds(20));
            lobby.ask("m1", "k1", "Patient", null, null);
            lobby.sweep();
        }
        assertThat(lobby.waiting("m1")).extracting(Lobby.Request::displayName).containsExactly("Patient");
        Lobby.Outcome last = Lobby.Outcome.WAITING;
        for (int i = 0; i < 6 && last == Lobby.Outcome.WAITING; i++) { // 200 s waited; the 5 min pass at 300 s
            clock.advance(Duration.ofSeconds(20));
            lobby.sweep();
            last = lobby.waiting("m1").isEmpty() ? Lobby.Outcome.TIMED_OUT : lobby.ask("m1", "k1", "Patient", null, null).outcome();
        }
        assertThat(clock.now).isEqualTo(Instant.parse("2026-12-03T10:05:00Z"));
        assertThat(lobby.waiting("m1")).isEmpty();
        assertThat(lobby.ask("m1", "k1", "Patient", null, null).outcome()).isEqualTo(Lobby.Outcome.TIMED_OUT);
        assertThat(a.timeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void admitAllLetsEveryoneWaitingIn() {
        lobby.ask("m1", "k1", "A", null, null);
        lobby.ask("m1", "k2", "B", "local:b", null);
        lobby.ask("m2", "k3", "C", null, null);
        assertThat(lobby.decideAll("m1", true)).isEqualTo(2);
        assertThat(lobby.waiting("m1")).isEmpty();
        assertThat(lobby.waiting("m2")).hasSize(1);
    }

    @Test
    void lockedMeetingsMakeNewPeopleWaitButNotThoseAlreadyIn() {
        lobby.entered("m1", "guest:aa", "k-in", null);
        lobby.lock("m1", true);
        assertThat(lobby.mustWait("m1", "k-new", null, false)).isTrue();
        assertThat(lobby.mustWait("m1", "k-in", null, false)).as("a reload of someone in").isFalse();
        lobby.lock("m1", false);
        assertThat(lobby.mustWait("m1", "k-new", null, false)).isFalse();
        assertThat(lobby.mustWait("m1", "k-new", null, true)).as("the access level still applies").isTrue();
    }

    @Test
    void aRemovedPersonWaitsFromAnyBrowserOfTheirAccountUntilAdmittedAgain() {
        lobby.entered("m1", "local:bob:0011", "k-bob", "local:bob");
        assertThat(lobby.mustWait("m1", "k-bob", "local:bob", true)).as("entered before").isFalse();
        lobby.removed("m1", "local:bob:0011");
        assertThat(lobby.mustWait("m1", "k-bob", "local:bob", false)).isTrue();
        assertThat(lobby.mustWait("m1", "k-other-browser", "local:bob", false)).isTrue();
        Lobby.Answer a = lobby.ask("m1", "k-other-browser", "Bob", "local:bob", null);
        assertThat(a.request().signedIn()).isTrue();
        lobby.decide("m1", a.request().id(), true);
        assertThat(lobby.mustWait("m1", "k-bob", "local:bob", false)).isFalse();
    }

    @Test
    void aFloodOfRequestsIsCappedAndAnEndedMeetingForgetsItsDoor() {
        for (int i = 0; i < Lobby.MAX_WAITING; i++) {
            lobby.ask("m1", "k" + i, "G" + i, null, null);
        }
        assertThatThrownBy(() -> lobby.ask("m1", "k-extra", "G", null, null)).isInstanceOf(LobbyFullException.class);
        lobby.lock("m1", true);
        lobby.meetingEnded("m1");
        assertThat(lobby.waiting("m1")).isEmpty();
        assertThat(lobby.locked("m1")).isFalse();
        assertThat(seen).last().asList().isEmpty();
    }
}
