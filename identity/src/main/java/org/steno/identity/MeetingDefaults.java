package org.steno.identity;

import java.util.Objects;
import java.util.Set;

/**
 * A meeting's defaults, set by its owner: the captions language used when a host turns captions
 * on without naming one, and whether recording starts as the meeting does.
 */
public record MeetingDefaults(String captionsLanguage, boolean recordOnStart) {

    /** The languages captions may be asked in by default (the column's CHECK says the same). */
    public static final Set<String> CAPTIONS_LANGUAGES = Set.of("en", "fr");
    /** A new meeting's: English captions, no recording until a host starts it. */
    public static final MeetingDefaults STANDARD = new MeetingDefaults("en", false);

    public MeetingDefaults {
        Objects.requireNonNull(captionsLanguage, "captionsLanguage");
        if (!CAPTIONS_LANGUAGES.contains(captionsLanguage)) {
            throw new IllegalArgumentException("captions language is one of " + CAPTIONS_LANGUAGES + ", not " + captionsLanguage);
        }
    }
}
