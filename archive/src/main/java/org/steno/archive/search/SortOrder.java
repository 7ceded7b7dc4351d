package org.steno.archive.search;

import java.util.Locale;

/** How meetings are ordered: by their best hit's relevance, or newest first. */
public enum SortOrder {
    RELEVANCE, DATE;

    public static SortOrder parse(String s) {
        if (s == null || s.isBlank()) {
            return RELEVANCE;
        }
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "relevance" -> RELEVANCE;
            case "date" -> DATE;
            default -> throw new org.steno.archive.query.BadQueryException("sort is relevance or date, not '"
                    + (s.length() > 20 ? s.substring(0, 20) + "…" : s) + "'");
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
