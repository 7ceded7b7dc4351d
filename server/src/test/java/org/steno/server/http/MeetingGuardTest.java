package org.steno.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.steno.access.Action;
import org.steno.access.Resource;

/** Every meetings path maps to the action and meeting the access policy reasons about. */
class MeetingGuardTest {

    @Test
    void meetingPathsMapToMeetingActions() {
        assertThat(HttpGuard.actionFor("POST", "/api/meetings")).isEqualTo(Action.CREATE_MEETING);
        assertThat(HttpGuard.resourceFor("/api/meetings")).isEqualTo(Resource.meeting(""));
        assertThat(HttpGuard.actionFor("POST", "/api/meetings/abc-defg-hij/join")).isEqualTo(Action.JOIN_MEETING);
        assertThat(HttpGuard.actionFor("GET", "/ws/meetings/abc-defg-hij")).isEqualTo(Action.JOIN_MEETING);
        assertThat(HttpGuard.actionFor("GET", "/api/meetings/abc-defg-hij")).isEqualTo(Action.VIEW);
        assertThat(HttpGuard.actionFor("GET", "/m/abc-defg-hij")).isEqualTo(Action.VIEW);
        for (String p : new String[] {"/api/meetings/abc-defg-hij", "/api/meetings/abc-defg-hij/join",
                "/ws/meetings/abc-defg-hij", "/m/abc-defg-hij"}) {
            assertThat(HttpGuard.resourceFor(p)).as(p).isEqualTo(Resource.meeting("abc-defg-hij"));
        }
        assertThat(HttpGuard.resourceFor("/room.js")).isEqualTo(new Resource("web", "/room.js"));
        assertThat(HttpGuard.actionFor("GET", "/api/meetings/abc-defg-hij/archive")).isEqualTo(Action.DOWNLOAD);
        assertThat(HttpGuard.actionFor("GET", "/api/meetings/abc-defg-hij/archive/recordings/r/mixed.ogg"))
                .isEqualTo(Action.DOWNLOAD);
        assertThat(HttpGuard.resourceFor("/api/meetings/abc-defg-hij/archive/recordings/r/mixed.ogg"))
                .isEqualTo(Resource.meeting("abc-defg-hij"));
        assertThat(HttpGuard.actionFor("GET", "/m/abc-defg-hij/archive")).as("the page shell").isEqualTo(Action.VIEW);
        // The policy judges the meeting the handler serves: its path parameter is percent-decoded.
        assertThat(HttpGuard.resourceFor("/api/meetings/abc-defg-hi%6A/archive/recordings/r/mixed.ogg"))
                .isEqualTo(Resource.meeting("abc-defg-hij"));
        assertThat(HttpGuard.resourceFor("/api/meetings/a+b/archive")).isEqualTo(Resource.meeting("a+b"));
    }
}
