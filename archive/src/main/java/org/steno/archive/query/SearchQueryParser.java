package org.steno.archive.query;

import java.time.LocalDate;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The search box's language, and nothing of Lucene's: {@code words} (all must occur),
 * {@code "exact phrases"}, {@code -word} or {@code -"phrase"} (must not occur), and the filters
 * {@code speaker:}, {@code meeting:}, {@code lang:} (or {@code language:}), {@code from:} and
 * {@code to:} (a day {@code 2026-12-03}, a month {@code 2026-12} or a year, inclusive, UTC);
 * a filter value with spaces is quoted ({@code speaker:"Alice Martin"}). Lucene's own syntax
 * ({@code field:}, {@code *}, {@code ~}, {@code ^}, parentheses, AND/OR) has no meaning here:
 * punctuation inside words is dropped by the analyzers and an unknown {@code name:} is refused,
 * so a query can never reach a field it should not.
 */
public final class SearchQueryParser {

    /** Longer queries are refused: nobody types them, and their cost is unbounded. */
    public static final int MAX_LENGTH = 500;
    public static final int MAX_CLAUSES = 24;

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_]+");
    private static final Pattern MEETING_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");

    private SearchQueryParser() {
    }

    public static SearchQuery parse(String text) {
        if (text == null) {
            text = "";
        }
        if (text.length() > MAX_LENGTH) {
            throw new BadQueryException("the query is " + text.length() + " characters long; at most " + MAX_LENGTH + " are searched");
        }
        long quotes = text.chars().filter(c -> c == '"').count();
        if (quotes % 2 != 0) {
            throw new BadQueryException("the query has an unbalanced quote: close the phrase that starts at character "
                    + (text.lastIndexOf('"') + 1) + " with another \"");
        }
        List<SearchQuery.Clause> clauses = new ArrayList<>();
        List<String> speakers = new ArrayList<>();
        List<String> meetings = new ArrayList<>();
        List<String> languages = new ArrayList<>();
        Long from = null;
        Long to = null;
        int i = 0;
        int n = text.length();
        int parts = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (++parts > MAX_CLAUSES) {
                throw new BadQueryException("the query has more than " + MAX_CLAUSES + " words, phrases and filters; search with fewer");
            }
            boolean negated = false;
            if (c == '-' && i + 1 < n && !Character.isWhitespace(text.charAt(i + 1))) {
                negated = true;
                i++;
                c = text.charAt(i);
            }
            if (c == '"') {
                int end = text.indexOf('"', i + 1);
                String phrase = text.substring(i + 1, end).strip();
                i = end + 1;
                if (!phrase.isEmpty()) {
                    clauses.add(new SearchQuery.Clause(phrase, true, negated));
                }
                continue;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '"' && text.charAt(i) != ':') {
                i++;
            }
            String word = text.substring(start, i);
            if (i < n && text.charAt(i) == ':' && FIELD_NAME.matcher(word).matches()) {
                String field = word.toLowerCase(Locale.ROOT);
                i++;
                String value;
                if (i < n && text.charAt(i) == '"') {
                    int end = text.indexOf('"', i + 1);
                    value = text.substring(i + 1, end).strip();
                    i = end + 1;
                } else {
                    int vs = i;
                    while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '"') {
                        i++;
                    }
                    value = text.substring(vs, i);
                }
                if (negated) {
                    throw new BadQueryException("filters cannot be negated: remove the - before " + field + ":");
                }
                if (value.isEmpty()) {
                    throw new BadQueryException("the filter " + field + ": has no value; write e.g. " + example(field));
                }
                switch (field) {
                    case "speaker" -> speakers.add(value);
                    case "meeting" -> {
                        if (!MEETING_ID.matcher(value).matches()) {
                            throw new BadQueryException("meeting: takes a meeting id (letters, digits, . _ -), not " + quoted(value));
                        }
                        meetings.add(value);
                    }
                    case "lang", "language" -> {
                        if (!LANGUAGE.matcher(value).matches()) {
                            throw new BadQueryException("lang: takes a language code such as fr or en-GB, not " + quoted(value));
                        }
                        int dash = value.indexOf('-');
                        languages.add((dash < 0 ? value : value.substring(0, dash)).toLowerCase(Locale.ROOT));
                    }
                    case "from" -> from = dateStart(value, "from");
                    case "to" -> to = dateEnd(value, "to");
                    default -> throw new BadQueryException("unknown filter " + quoted(field + ":")
                            + "; the filters are speaker:, meeting:, lang:, from: and to:");
                }
                continue;
            }
            if (i < n && text.charAt(i) == ':') {
                // "10:30", "a:b": a colon that names no filter is just punctuation inside the word.
                while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '"') {
                    i++;
                }
                word = text.substring(start, i);
            }
            if (!word.isEmpty()) {
                clauses.add(new SearchQuery.Clause(word, false, negated));
            }
        }
        if (from != null && to != null && from >= to) {
            throw new BadQueryException("from: is after to:; the range has no day in it");
        }
        SearchQuery q = new SearchQuery(clauses, speakers, meetings, languages, from, to);
        if (!q.hasPositiveClause() && !q.hasFilter()) {
            throw new BadQueryException(clauses.isEmpty()
                    ? "type a word, a \"phrase\" or a filter such as speaker:alice to search"
                    : "a query cannot only exclude words; add a word, a phrase or a filter to search for");
        }
        return q;
    }

    /** The first instant of a day, month or year given as 2026-12-03, 2026-12 or 2026 (UTC). */
    public static long dateStart(String value, String name) {
        return period(value, name)[0];
    }

    /** The instant just after a day, month or year (so "to:2026-12" includes all of December). */
    public static long dateEnd(String value, String name) {
        return period(value, name)[1];
    }

    private static long[] period(String v, String name) {
        try {
            if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                LocalDate d = LocalDate.parse(v);
                return new long[] {millis(d), millis(d.plusDays(1))};
            }
            if (v.matches("\\d{4}-\\d{2}")) {
                YearMonth m = YearMonth.parse(v);
                return new long[] {millis(m.atDay(1)), millis(m.plusMonths(1).atDay(1))};
            }
            if (v.matches("\\d{4}")) {
                Year y = Year.parse(v);
                return new long[] {millis(y.atDay(1)), millis(y.plusYears(1).atDay(1))};
            }
        } catch (DateTimeParseException e) {
            // falls through to the sentence below
        }
        throw new BadQueryException(name + ": takes a date such as 2026-12-03, 2026-12 or 2026, not " + quoted(v));
    }

    private static long millis(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    private static String example(String field) {
        return switch (field) {
            case "speaker" -> "speaker:alice or speaker:\"Alice Martin\"";
            case "meeting" -> "meeting:<id>";
            case "lang", "language" -> "lang:fr";
            default -> field + ":2026-12-03";
        };
    }

    private static String quoted(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
