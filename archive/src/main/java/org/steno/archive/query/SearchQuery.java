package org.steno.archive.query;

import java.util.List;

/**
 * What a person asked for, parsed: words and exact phrases that must (or must not) occur, and
 * filters. Several values of one filter are alternatives (speaker:alice speaker:bob is either);
 * different filters all apply.
 *
 * @param fromMillis meetings starting at or after this instant (epoch ms), or null
 * @param toMillis   meetings starting before this instant (exclusive), or null
 */
public record SearchQuery(List<Clause> clauses, List<String> speakers, List<String> meetings, List<String> languages,
                          Long fromMillis, Long toMillis) {

    /** A word or an exact phrase as typed (analysis happens when the Lucene query is built). */
    public record Clause(String text, boolean phrase, boolean negated) {
    }

    public SearchQuery {
        clauses = List.copyOf(clauses);
        speakers = List.copyOf(speakers);
        meetings = List.copyOf(meetings);
        languages = List.copyOf(languages);
    }

    /** The same query restricted to a date range (the page's date inputs); null leaves a bound as it was. */
    public SearchQuery withDates(Long from, Long to) {
        return new SearchQuery(clauses, speakers, meetings, languages, from != null ? from : fromMillis, to != null ? to : toMillis);
    }

    public boolean hasPositiveClause() {
        return clauses.stream().anyMatch(c -> !c.negated());
    }

    public boolean hasFilter() {
        return !speakers.isEmpty() || !meetings.isEmpty() || !languages.isEmpty() || fromMillis != null || toMillis != null;
    }
}
