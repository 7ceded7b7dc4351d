package org.steno.archive.search;

import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;
import org.steno.archive.index.ArchiveAnalyzers;
import org.steno.archive.index.Fields;
import org.steno.archive.query.BadQueryException;
import org.steno.archive.query.SearchQuery;

/**
 * A parsed {@link SearchQuery} as a Lucene query. Each word or phrase is analyzed with each
 * language's analyzer and looked for in that language's text field (a French word typed in an
 * English meeting still finds the English word, folded); words of a phrase must be adjacent.
 * Filters and the caller's {@link SearchScope} are non-scoring clauses of the same query.
 */
final class LuceneQueries {

    private static final Analyzer ANALYZER = ArchiveAnalyzers.perField();
    private static final QueryBuilder BUILDER = new QueryBuilder(ANALYZER);

    private LuceneQueries() {
    }

    /** The words and phrases alone: what the highlighter marks. Null when the query has none. */
    static Query text(SearchQuery q) {
        return text(q, false);
    }

    /**
     * @param byPairs a phrase as its adjacent word pairs (the pairs fields: the same documents,
     *                found without reading every position of its frequent words); the highlighter
     *                marks words in the text fields, so it gets the words themselves
     */
    private static Query text(SearchQuery q, boolean byPairs) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (SearchQuery.Clause c : q.clauses()) {
            Query one = clause(c.text(), byPairs);
            if (one == null) {
                continue; // only punctuation: nothing to look for
            }
            b.add(one, c.negated() ? Occur.MUST_NOT : Occur.MUST);
        }
        BooleanQuery built = b.build();
        return built.clauses().isEmpty() ? null : built;
    }

    static Query full(SearchQuery q, SearchScope scope) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        Query text = text(q, true);
        boolean positive = false;
        if (text != null) {
            for (var c : ((BooleanQuery) text).clauses()) {
                b.add(c);
                positive |= c.getOccur() == Occur.MUST;
            }
        }
        if (!positive && !q.hasFilter()) {
            throw new BadQueryException("nothing in the query can be searched for: type words or a filter such as speaker:alice");
        }
        if (!positive && q.speakers().isEmpty() && q.languages().isEmpty()) {
            // Only a meeting or date filter: those fields are on source documents too. Otherwise the
            // text, speaker and language fields exist on segments alone, and this conjunction with
            // every segment of the index would only cost time.
            b.add(new TermQuery(new Term(Fields.KIND, Fields.KIND_SEGMENT)), Occur.FILTER);
        }
        if (!q.speakers().isEmpty()) {
            BooleanQuery.Builder anyOf = new BooleanQuery.Builder();
            for (String s : q.speakers()) {
                Query name = BUILDER.createPhraseQuery(Fields.SPEAKER, s);
                if (name != null) {
                    anyOf.add(name, Occur.SHOULD);
                }
                anyOf.add(new TermQuery(new Term(Fields.SPEAKER_IDENTITY, s)), Occur.SHOULD);
            }
            b.add(anyOf.build(), Occur.FILTER);
        }
        if (!q.meetings().isEmpty()) {
            b.add(inSet(Fields.MEETING, q.meetings()), Occur.FILTER);
        }
        if (!q.languages().isEmpty()) {
            b.add(inSet(Fields.LANGUAGE, q.languages()), Occur.FILTER);
        }
        if (q.fromMillis() != null || q.toMillis() != null) {
            long from = q.fromMillis() == null ? Long.MIN_VALUE : q.fromMillis();
            long to = q.toMillis() == null ? Long.MAX_VALUE : q.toMillis() - 1;
            b.add(LongPoint.newRangeQuery(Fields.DATE, from, to), Occur.FILTER);
        }
        if (!scope.everything()) {
            b.add(scope.meetings().isEmpty() ? new MatchNoDocsQuery("no meeting in scope")
                    : inSet(Fields.MEETING, List.copyOf(scope.meetings())), Occur.FILTER);
        }
        return b.build();
    }

    /** One word or phrase in any language's field: the best-scoring field counts. */
    private static Query clause(String text, boolean byPairs) {
        BooleanQuery.Builder anyField = new BooleanQuery.Builder();
        boolean any = false;
        for (String field : Fields.TEXT_FIELDS) {
            // Words i, i+1, i+2 are adjacent exactly when pairs (i, i+1) and (i+1, i+2) are: the same
            // matches. A single word has no pair: it is looked up as itself.
            Query pairs = byPairs ? BUILDER.createPhraseQuery(Fields.pairsOf(field), text) : null;
            Query q = pairs != null ? pairs : BUILDER.createPhraseQuery(field, text);
            if (q != null) {
                anyField.add(q, Occur.SHOULD);
                any = true;
            }
        }
        return any ? anyField.build() : null;
    }

    private static Query inSet(String field, List<String> values) {
        return new TermInSetQuery(field, values.stream().map(BytesRef::new).toList());
    }
}
