package org.steno.server.archive;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP byte range (RFC 9110 §14.1.2): {@code bytes=a-b}, {@code bytes=a-} or the suffix
 * {@code bytes=-n}. Browsers seeking in media ask for one range; several ranges in one request
 * are refused rather than half-served.
 */
record ByteRange(Long first, Long last, Long suffix) {

    private static final Pattern ONE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    /** The range of a {@code Range} header; null when there is none (the whole file). */
    static ByteRange parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Matcher m = ONE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            throw new IllegalArgumentException("only one byte range such as \"bytes=0-1023\" is served, not " + header);
        }
        if (m.group(1).isEmpty()) {
            return new ByteRange(null, null, Long.parseLong(m.group(2)));
        }
        long first = Long.parseLong(m.group(1));
        Long last = m.group(2).isEmpty() ? null : Long.parseLong(m.group(2));
        if (last != null && last < first) {
            throw new IllegalArgumentException("the range ends before it starts: " + header);
        }
        return new ByteRange(first, last, null);
    }

    /** The same range for S3's {@code Range} parameter. */
    String header() {
        if (suffix != null) {
            return "bytes=-" + suffix;
        }
        return "bytes=" + first + "-" + (last == null ? "" : last);
    }
}
