package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;

class MeetingAttendanceTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private MeetingAttendance attendance;

    @BeforeEach
    void open(TestDatabase t) {
        attendance = new MeetingAttendance(t.db());
    }

    @OnBothDatabases
    void anAccountAttendsTheMeetingsItEntered() {
        attendance.record("m-1", "local:alice", T0);
        attendance.record("m-2", "local:alice", T0.plusSeconds(60));
        attendance.record("m-2", "local:bob", T0);
        assertThat(attendance.attended("local:alice", "m-1")).isTrue();
        assertThat(attendance.attended("local:bob", "m-1")).isFalse();
        assertThat(attendance.meetingsOf("local:alice")).containsExactlyInAnyOrder("m-1", "m-2");
        assertThat(attendance.meetingsOf("local:bob")).containsExactly("m-2");
        assertThat(attendance.meetingsOf("local:nobody")).isEmpty();
    }

    @OnBothDatabases
    void enteringAgainIsRecordedOnce() {
        attendance.record("m-1", "local:alice", T0);
        attendance.record("m-1", "local:alice", T0.plusSeconds(600));
        assertThat(attendance.meetingsOf("local:alice")).containsExactly("m-1");
    }
}
