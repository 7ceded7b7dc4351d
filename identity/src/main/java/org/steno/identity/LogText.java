package org.steno.identity;

/**
 * Makes caller-supplied text safe to put on one log line. A subject such as
 * {@code "bob\r\n2024-01-01 ALLOWED admin ..."} would otherwise start a forged line in any
 * plain-text sink that logs the audit message (and in the CSV export opened as text).
 *
 * <p>Every control character (C0, DEL, C1) and the Unicode line/paragraph separators become
 * a visible escape: {@code \r}, {@code \n}, {@code \t}, else {@code \u001b}-style. The
 * backslash itself becomes {@code \\}, so the escaped form is unambiguous: a subject that
 * really contains a backslash followed by "n" cannot pass for one that contained a newline.
 */
public final class LogText {

    private LogText() {
    }

    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = replacement(c);
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String replacement(char c) {
        switch (c) {
            case '\\': return "\\\\";
            case '\n': return "\\n";
            case '\r': return "\\r";
            case '\t': return "\\t";
            default:
                if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                    return String.format("\\u%04x", (int) c);
                }
                return null;
        }
    }
}
