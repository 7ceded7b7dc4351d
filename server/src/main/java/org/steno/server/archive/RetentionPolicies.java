package org.steno.server.archive;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.steno.archive.retention.RetentionPolicy;
import org.steno.identity.RetentionSettings;

/**
 * The retention a meeting's files follow: each period is the meeting's own if an administrator set
 * one, else the platform's set on the admin page, else {@code archive.retention.*} of the
 * configuration. Read from the database each time, so a change applies to the next sweep and to
 * every archive page at once.
 */
public final class RetentionPolicies {

    /** Where a period comes from. */
    public enum Source { MEETING, PLATFORM, CONFIGURATION }

    /** A meeting's (or the platform's) periods and where each comes from. */
    public record Effective(RetentionPolicy policy, Source recordingsFrom, Source transcriptsFrom) {

        /** As the API shows it: days (fractional when the configuration is not in whole days) and sources. */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recordingsDays", days(policy.recordings()));
            m.put("recordingsFrom", recordingsFrom.name().toLowerCase(java.util.Locale.ROOT));
            m.put("transcriptsDays", days(policy.transcripts()));
            m.put("transcriptsFrom", transcriptsFrom.name().toLowerCase(java.util.Locale.ROOT));
            return m;
        }

        private static Number days(Duration d) {
            return d.toSeconds() % 86_400 == 0 ? (Number) d.toDays() : (Number) (d.toSeconds() / 86_400.0);
        }
    }

    private final RetentionPolicy configured;
    private final Supplier<RetentionSettings> settings;

    public RetentionPolicies(RetentionPolicy configured, Supplier<RetentionSettings> settings) {
        this.configured = configured;
        this.settings = settings;
    }

    public RetentionPolicy configured() {
        return configured;
    }

    /** The platform's periods: set on the admin page, else configured. */
    public Effective platform() {
        return over(new Effective(configured, Source.CONFIGURATION, Source.CONFIGURATION), settings.get().platform(), Source.PLATFORM);
    }

    /** What a meeting's files follow. */
    public Effective of(String meetingId) {
        return over(platform(), settings.get().meeting(meetingId), Source.MEETING);
    }

    private static Effective over(Effective base, Optional<RetentionSettings.Periods> set, Source source) {
        if (set.isEmpty()) {
            return base;
        }
        RetentionSettings.Periods p = set.get();
        Duration rec = p.recordingsDays() == null ? base.policy().recordings() : Duration.ofDays(p.recordingsDays());
        Duration tr = p.transcriptsDays() == null ? base.policy().transcripts() : Duration.ofDays(p.transcriptsDays());
        return new Effective(new RetentionPolicy(rec, tr),
                p.recordingsDays() == null ? base.recordingsFrom() : source,
                p.transcriptsDays() == null ? base.transcriptsFrom() : source);
    }
}
