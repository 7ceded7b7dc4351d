package org.steno.archive.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SearchQueryParserTest {

    @Test
    void wordsPhrasesAndExclusions() {
        SearchQuery q = SearchQueryParser.parse("budget \"conseil municipal\" -report -\"next week\"");
        assertThat(q.clauses()).containsExactly(
                new SearchQuery.Clause("budget", false, false),
                new SearchQuery.Clause("conseil municipal", true, false),
                new SearchQuery.Clause("report", false, true),
                new SearchQuery.Clause("next week", true, true));
        assertThat(q.hasFilter()).isFalse();
    }

    @Test
    void filters() {
        SearchQuery q = SearchQueryParser.parse("speaker:alice speaker:\"Bob Martin\" meeting:abc-123 lang:fr-FR from:2026-11 to:2026-12-03 vote");
        assertThat(q.speakers()).containsExactly("alice", "Bob Martin");
        assertThat(q.meetings()).containsExactly("abc-123");
        assertThat(q.languages()).containsExactly("fr");
        assertThat(q.fromMillis()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z").toEpochMilli());
        assertThat(q.toMillis()).isEqualTo(Instant.parse("2026-12-04T00:00:00Z").toEpochMilli());
        assertThat(q.clauses()).containsExactly(new SearchQuery.Clause("vote", false, false));
    }

    @Test
    void aYearIsAWholeYear() {
        SearchQuery q = SearchQueryParser.parse("from:2025 to:2025");
        assertThat(q.fromMillis()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z").toEpochMilli());
        assertThat(q.toMillis()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void aFilterAloneIsAQuery() {
        assertThat(SearchQueryParser.parse("speaker:alice").speakers()).containsExactly("alice");
    }

    @Test
    void colonsThatNameNoFilterArePunctuation() {
        SearchQuery q = SearchQueryParser.parse("10:30 rendez-vous");
        assertThat(q.clauses()).extracting(SearchQuery.Clause::text).containsExactly("10:30", "rendez-vous");
    }

    @Test
    void unbalancedQuotesAreRefusedSayingWhere() {
        assertThatThrownBy(() -> SearchQueryParser.parse("budget \"conseil municipal"))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("unbalanced quote").hasMessageContaining("character 8");
        assertThatThrownBy(() -> SearchQueryParser.parse("speaker:\"Alice"))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("unbalanced quote");
    }

    @Test
    void hugeQueriesAreRefused() {
        assertThatThrownBy(() -> SearchQueryParser.parse("a".repeat(10_000)))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("10000 characters").hasMessageContaining("500");
        assertThatThrownBy(() -> SearchQueryParser.parse("w ".repeat(30)))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("more than 24");
    }

    @Test
    void badDatesAndRangesAreRefused() {
        assertThatThrownBy(() -> SearchQueryParser.parse("from:yesterday budget"))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("from: takes a date").hasMessageContaining("'yesterday'");
        assertThatThrownBy(() -> SearchQueryParser.parse("to:2026-13-01"))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("to: takes a date");
        assertThatThrownBy(() -> SearchQueryParser.parse("to:2026-02-30"))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("to: takes a date");
        assertThatThrownBy(() -> SearchQueryParser.parse("from:2026-12 to:2026-11"))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("from: is after to:");
    }

    @Test
    void luceneSyntaxIsNotLucene() {
        // "*:*" names no filter: it is a word of punctuation, which searches for nothing (ArchiveSearcherTest).
        assertThat(SearchQueryParser.parse("*:*").clauses()).containsExactly(new SearchQuery.Clause("*:*", false, false));
        assertThatThrownBy(() -> SearchQueryParser.parse("text_fr:secret"))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("unknown filter 'text_fr:'");
        assertThatThrownBy(() -> SearchQueryParser.parse("source_key:meetings"))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("unknown filter");
        assertThatThrownBy(() -> SearchQueryParser.parse("meeting:../other"))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("meeting id");
        // Operators and wildcards are plain words whose punctuation the analyzers drop.
        assertThat(SearchQueryParser.parse("budget AND (vote^10 OR x~2)").clauses()).hasSize(5);
    }

    @Test
    void emptyAndExclusionOnlyQueriesAreRefused() {
        assertThatThrownBy(() -> SearchQueryParser.parse("   ")).isInstanceOf(BadQueryException.class).hasMessageContaining("type a word");
        assertThatThrownBy(() -> SearchQueryParser.parse(null)).isInstanceOf(BadQueryException.class);
        assertThatThrownBy(() -> SearchQueryParser.parse("-budget")).isInstanceOf(BadQueryException.class)
                .hasMessageContaining("only exclude");
        assertThatThrownBy(() -> SearchQueryParser.parse("speaker:")).isInstanceOf(BadQueryException.class)
                .hasMessageContaining("has no value");
        assertThatThrownBy(() -> SearchQueryParser.parse("-speaker:bob vote")).isInstanceOf(BadQueryException.class)
                .hasMessageContaining("cannot be negated");
    }
}
