package org.steno.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;

class RetentionSettingsTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00.123456Z");

    private RetentionSettings settings;

    @BeforeEach
    void open(TestDatabase t) {
        settings = new RetentionSettings(t.db());
    }

    @OnBothDatabases
    void platformAndMeetingPeriodsAreSetReplacedAndRemoved() {
        assertThat(settings.platform()).isEmpty();
        assertThat(settings.meeting("m-1")).isEmpty();
        settings.setPlatform(30, null, "local:boss", T0);
        assertThat(settings.platform()).contains(new RetentionSettings.Periods(30, null, "local:boss",
                Instant.parse("2026-12-04T10:00:00.123Z")));
        assertThat(settings.meeting("m-1")).as("the platform row is no meeting's").isEmpty();
        settings.setMeeting("m-1", null, 3650, "local:boss", T0);
        settings.setMeeting("m-1", 7, 3650, "local:other", T0.plusSeconds(5));
        RetentionSettings.Periods m = settings.meeting("m-1").orElseThrow();
        assertThat(m.recordingsDays()).isEqualTo(7);
        assertThat(m.transcriptsDays()).isEqualTo(3650);
        assertThat(m.setBy()).isEqualTo("local:other");
        assertThat(settings.meeting("m-2")).isEmpty();
        settings.setMeeting("m-1", null, null, "local:boss", T0);
        assertThat(settings.meeting("m-1")).as("nothing of its own: it follows the platform").isEmpty();
        assertThat(settings.platform()).isPresent();
    }

    @OnBothDatabases
    void administratorsSavingTheSameMeetingAtOnceLeaveOneRow() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<RetentionSettings.Periods>> saves = new java.util.ArrayList<>();
            for (int i = 1; i <= 16; i++) {
                int days = i;
                saves.add(pool.submit(() -> settings.setMeeting("m-race", days, null, "local:admin-" + days, T0)));
            }
            for (var f : saves) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS); // none fails
            }
        } finally {
            pool.shutdownNow();
        }
        RetentionSettings.Periods last = settings.meeting("m-race").orElseThrow();
        assertThat(last.setBy()).isEqualTo("local:admin-" + last.recordingsDays());
    }

    @OnBothDatabases
    void periodsOutsideOneDayToAHundredYearsAndThePlatformsScopeAreRefused() {
        assertThatThrownBy(() -> settings.setPlatform(0, null, "local:boss", T0)).hasMessageContaining("1 to 36500");
        assertThatThrownBy(() -> settings.setMeeting("m-1", null, 36_501, "local:boss", T0)).hasMessageContaining("transcriptsDays");
        assertThatThrownBy(() -> settings.setMeeting("*", 5, 5, "local:boss", T0)).hasMessageContaining("not a meeting id");
        assertThat(settings.platform()).isEmpty();
        assertThat(settings.meeting("m-1")).isEmpty();
    }
}
