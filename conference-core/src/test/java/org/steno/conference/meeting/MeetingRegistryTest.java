package org.steno.conference.meeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MeetingRegistryTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final MeetingRegistry registry = new MeetingRegistry(
            new MeetingLimits(3, 2, 2, Duration.ofMinutes(1)), Clock.systemUTC(), nanos::get);

    @Test
    void idsAreShapedAndDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = MeetingIds.next();
            assertThat(id).matches("[a-z]{3}-[a-z]{4}-[a-z]{3}");
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
        assertThat(MeetingIds.isWellFormed("abc-defg-hij")).isTrue();
        assertThat(MeetingIds.isWellFormed("ABC-defg-hij")).isFalse();
        assertThat(MeetingIds.isWellFormed("../etc/passwd")).isFalse();
        assertThat(MeetingIds.isWellFormed(null)).isFalse();
    }

    @Test
    void mediaClockRunsFromTheMeetingStart() {
        Meeting m = registry.create("Weekly");
        assertThat(m.mediaTime()).isEqualTo(Duration.ZERO);
        nanos.addAndGet(1_500_000_000L);
        assertThat(m.mediaTime()).isEqualTo(Duration.ofMillis(1500));
        Participant p = m.join("guest:a", "Alice", ParticipantRole.HOST, ParticipantKind.BROWSER);
        assertThat(p.joinedAt()).isEqualTo(Duration.ofMillis(1500));
        assertThat(m.title()).isEqualTo("Weekly");
    }

    @Test
    void joinPublishMuteLeaveFireEventsInOrder() {
        List<String> events = new ArrayList<>();
        registry.addListener(new MeetingListener() {
            @Override
            public void meetingStarted(Meeting meeting) {
                events.add("started");
            }

            @Override
            public void participantJoined(Meeting meeting, Participant participant) {
                events.add("joined " + participant.displayName());
            }

            @Override
            public void participantLeft(Meeting meeting, Participant participant, LeaveReason reason) {
                events.add("left " + participant.displayName() + " " + reason);
            }

            @Override
            public void trackPublished(Meeting meeting, Track track) {
                events.add("published " + track.id() + " " + track.kind());
            }

            @Override
            public void trackUnpublished(Meeting meeting, Track track) {
                events.add("unpublished " + track.id());
            }

            @Override
            public void trackMuted(Meeting meeting, Track track) {
                events.add("muted " + track.id() + " " + track.muted());
            }

            @Override
            public void meetingEnded(Meeting meeting, EndReason reason) {
                events.add("ended " + reason);
            }
        });
        Meeting m = registry.create("");
        Participant a = m.join("guest:a", "Alice", ParticipantRole.HOST, ParticipantKind.BROWSER);
        Track mic = m.publish(a.id(), TrackKind.AUDIO, TrackSource.MICROPHONE, "audio/opus");
        assertThat(m.setMuted(mic.id(), true)).isTrue();
        assertThat(m.setMuted(mic.id(), true)).isFalse(); // no change, no event
        assertThat(m.track(mic.id()).orElseThrow().muted()).isTrue();
        m.leave(a.id(), LeaveReason.LEFT);
        assertThat(m.leave(a.id(), LeaveReason.LEFT)).isFalse();
        assertThat(m.participants()).isEmpty();
        assertThat(m.allParticipants()).singleElement().satisfies(p -> assertThat(p.leftAt()).isNotNull());
        Participant b = m.join("guest:b", "Bob", ParticipantRole.PARTICIPANT, ParticipantKind.BROWSER);
        registry.end(m.id(), EndReason.ENDED_BY_HOST);
        assertThat(events).containsExactly("started", "joined Alice", "published t1 AUDIO", "muted t1 true",
                "unpublished t1", "left Alice LEFT", "joined Bob", "left Bob MEETING_ENDED", "ended ENDED_BY_HOST");
        assertThat(registry.get(m.id())).isEmpty();
        assertThat(b.id()).isEqualTo("p2"); // ids are never reused
        assertThatThrownBy(() -> m.join("guest:c", "C", ParticipantRole.PARTICIPANT, ParticipantKind.BROWSER))
                .isInstanceOf(MeetingNotActiveException.class);
    }

    @Test
    void limitsAreEnforced() {
        Meeting m = registry.create("");
        registry.create("");
        registry.create("");
        assertThatThrownBy(() -> registry.create("")).isInstanceOf(MeetingLimitException.class).hasMessageContaining("3 meetings");
        Participant a = m.join("a", "A", ParticipantRole.HOST, ParticipantKind.BROWSER);
        m.join("b", "B", ParticipantRole.PARTICIPANT, ParticipantKind.BROWSER);
        assertThatThrownBy(() -> m.join("c", "C", ParticipantRole.PARTICIPANT, ParticipantKind.BROWSER))
                .isInstanceOf(MeetingLimitException.class).hasMessageContaining("full");
        m.publish(a.id(), TrackKind.AUDIO, TrackSource.MICROPHONE, "audio/opus");
        m.publish(a.id(), TrackKind.VIDEO, TrackSource.CAMERA, "video/VP8");
        assertThatThrownBy(() -> m.publish(a.id(), TrackKind.AUDIO, TrackSource.MICROPHONE, "audio/opus"))
                .isInstanceOf(MeetingLimitException.class);
        assertThatThrownBy(() -> m.publish("p99", TrackKind.AUDIO, TrackSource.MICROPHONE, "audio/opus"))
                .isInstanceOf(MeetingNotActiveException.class);
        assertThatThrownBy(() -> registry.create("x".repeat(201))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyMeetingsEndAfterTheTimeoutButOccupiedOnesStay() {
        Meeting empty = registry.create("");
        Meeting busy = registry.create("");
        busy.join("a", "A", ParticipantRole.HOST, ParticipantKind.BROWSER);
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(registry.endIdleMeetings()).isZero();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(registry.endIdleMeetings()).isEqualTo(1);
        assertThat(registry.get(empty.id())).isEmpty();
        assertThat(registry.get(busy.id())).isPresent();
    }

    @Test
    void concurrentJoinsAndLeavesKeepCountsRight() throws Exception {
        MeetingRegistry big = new MeetingRegistry(new MeetingLimits(10, 1000, 4, Duration.ofMinutes(1)));
        Meeting m = big.create("");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(400);
        for (int i = 0; i < 400; i++) {
            int n = i;
            pool.execute(() -> {
                Participant p = m.join("g" + n, "G" + n, ParticipantRole.PARTICIPANT, ParticipantKind.BROWSER);
                m.publish(p.id(), TrackKind.AUDIO, TrackSource.MICROPHONE, "audio/opus");
                if (n % 2 == 0) {
                    m.leave(p.id(), LeaveReason.LEFT);
                }
                done.countDown();
            });
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(m.participantCount()).isEqualTo(200);
        assertThat(m.tracks()).hasSize(200);
        assertThat(m.allParticipants().stream().map(Participant::id).distinct()).hasSize(400);
    }
}
