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

    /**
     * The range of a {@code Range} header; null for the whole file: when there is none, and
     * when it is one we do not serve (several ranges, another unit, a malformed one), which
     * RFC 9110 lets a server ignore.
     */
    static ByteRange parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Matcher m = ONE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            return suffix == 0 ? null : new ByteRange(null, null, suffix);
        }
        long first = Long.parseLong(m.group(1));
        Long last = m.group(2).isEmpty() ? null : Long.parseLong(m.group(2));
        if (last != null && last < first) {
            return null; // invalid, so ignored
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
