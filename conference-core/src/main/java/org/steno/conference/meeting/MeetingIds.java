package org.steno.conference.meeting;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Meeting ids shaped like {@code abc-defg-hij}: ten lowercase letters from a SecureRandom,
 * about 47 bits, so a link cannot be guessed or enumerated, yet it can be read aloud.
 */
public final class MeetingIds {

    private static final Pattern SHAPE = Pattern.compile("[a-z]{3}-[a-z]{4}-[a-z]{3}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private MeetingIds() {
    }

    public static String next() {
        StringBuilder b = new StringBuilder(12);
        for (int i = 0; i < 10; i++) {
            if (i == 3 || i == 7) {
                b.append('-');
            }
            b.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return b.toString();
    }

    /** True when {@code id} has the shape of a meeting id (it may still be unknown). */
    public static boolean isWellFormed(String id) {
        return id != null && SHAPE.matcher(id).matches();
    }
}
