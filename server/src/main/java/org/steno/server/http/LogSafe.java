package org.steno.server.http;

/**
 * Text from a request on its way to a log line: CR, LF and other control characters are
 * escaped, so a crafted path or header cannot forge a log entry, and the length is bounded.
 */
public final class LogSafe {

    private static final int MAX = 300;

    private LogSafe() {
    }

    public static String of(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX) + 8);
        for (int i = 0; i < s.length() && b.length() < MAX; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (s.length() > MAX) {
            b.append('…');
        }
        return b.toString();
    }
}
