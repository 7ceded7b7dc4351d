package org.steno.archive.search;

import java.io.IOException;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.uhighlight.Passage;
import org.apache.lucene.search.uhighlight.PassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.search.uhighlight.WholeBreakIterator;
import org.steno.archive.index.ArchiveAnalyzers;
import org.steno.archive.index.ArchiveIndex;
import org.steno.archive.index.Fields;
import org.steno.archive.query.BadQueryException;
import org.steno.archive.query.SearchQuery;

/**
 * Runs a search: the query within the caller's scope, every hit grouped by meeting, one page of
 * meetings with their best segments highlighted, and the speaker and month facets.
 */
public final class ArchiveSearcher {

    public static final int MAX_PAGE_SIZE = 50;
    /** Pages deeper than this are refused: nobody reads them, and each costs a sort of every group. */
    public static final int MAX_PAGE = 1000;
    static final int HITS_PER_MEETING = 3;
    static final int FACET_VALUES = 20;

    private final ArchiveIndex index;

    public ArchiveSearcher(ArchiveIndex index) {
        this.index = index;
    }

    /** @param page 1-based */
    public SearchResult search(SearchQuery q, SearchScope scope, SortOrder sort, int page, int pageSize) throws IOException {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new BadQueryException("size is the number of meetings per page, 1 to " + MAX_PAGE_SIZE + ", not " + pageSize);
        }
        if (page < 1 || page > MAX_PAGE) {
            throw new BadQueryException("page counts from 1 to " + MAX_PAGE + ", not " + page);
        }
        Query query = LuceneQueries.full(q, scope);
        Query highlight = LuceneQueries.text(q);
        return index.withSearcher(searcher -> {
            GroupingCollector c = new GroupingCollector(HITS_PER_MEETING);
            searcher.search(query, c);
            List<GroupingCollector.Group> groups = c.groups();
            groups.sort(order(sort));
            int from = Math.min(groups.size(), (page - 1) * pageSize);
            int to = Math.min(groups.size(), from + pageSize);
            List<SearchResult.MeetingHits> meetings = hits(searcher, groups.subList(from, to), highlight != null ? highlight : query);
            return new SearchResult(groups.size(), c.totalHits(), page, pageSize, sort.id(), meetings,
                    facet(c.speakers(), Comparator.comparing(SearchResult.FacetValue::count).reversed()
                            .thenComparing(SearchResult.FacetValue::value)),
                    facet(c.months(), Comparator.comparing(SearchResult.FacetValue::value).reversed()));
        });
    }

    /**
     * The ids of every meeting the query finds within the scope, newest first: what a legal hold on
     * a search's results holds. More than {@code max} is a {@link BadQueryException} (narrow it).
     */
    public List<String> meetingsMatching(SearchQuery q, SearchScope scope, int max) throws IOException {
        Query query = LuceneQueries.full(q, scope);
        return index.withSearcher(searcher -> {
            GroupingCollector c = new GroupingCollector(1);
            searcher.search(query, c);
            List<GroupingCollector.Group> groups = c.groups();
            if (groups.size() > max) {
                throw new BadQueryException("the search finds " + groups.size() + " meetings; at most " + max
                        + " are held at once: narrow it (a date range, a speaker, a phrase)");
            }
            groups.sort(order(SortOrder.DATE));
            return groups.stream().map(g -> g.meetingId).toList();
        });
    }

    private static Comparator<GroupingCollector.Group> order(SortOrder sort) {
        Comparator<GroupingCollector.Group> byScore = Comparator.comparingDouble((GroupingCollector.Group g) -> g.best).reversed();
        Comparator<GroupingCollector.Group> byDate = Comparator.comparingLong((GroupingCollector.Group g) -> g.date).reversed();
        Comparator<GroupingCollector.Group> first = sort == SortOrder.DATE ? byDate.thenComparing(byScore) : byScore.thenComparing(byDate);
        return first.thenComparing(g -> g.meetingId);
    }

    private static List<SearchResult.FacetValue> facet(Map<String, Long> counts, Comparator<SearchResult.FacetValue> order) {
        return counts.entrySet().stream().map(e -> new SearchResult.FacetValue(e.getKey(), e.getValue()))
                .sorted(order).limit(FACET_VALUES).toList();
    }

    private static List<SearchResult.MeetingHits> hits(IndexSearcher searcher, List<GroupingCollector.Group> page, Query highlight)
            throws IOException {
        List<Integer> docs = new ArrayList<>();
        for (GroupingCollector.Group g : page) {
            for (int i = 0; i < g.topSize; i++) {
                docs.add(g.topDocs[i]);
            }
        }
        int[] ids = docs.stream().mapToInt(Integer::intValue).toArray();
        Map<String, Object[]> marked = highlighter(searcher).marked(ids, highlight);
        Map<Integer, Integer> position = new java.util.HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            position.put(ids[i], i);
        }
        StoredFields stored = searcher.storedFields();
        List<SearchResult.MeetingHits> out = new ArrayList<>();
        for (GroupingCollector.Group g : page) {
            List<SearchResult.Hit> hits = new ArrayList<>();
            String title = "";
            for (int i = 0; i < g.topSize; i++) {
                int doc = g.topDocs[i];
                Document d = stored.document(doc);
                title = d.get(Fields.TITLE) == null ? title : d.get(Fields.TITLE);
                Snippet s = null;
                String text = "";
                for (String f : Fields.TEXT_FIELDS) {
                    if (d.get(f) != null) {
                        text = d.get(f);
                        Object o = marked.get(f)[position.get(doc)];
                        s = o instanceof Snippet sn ? sn : null;
                    }
                }
                hits.add(new SearchResult.Hit(d.get(Fields.TRANSCRIPT), d.get(Fields.SEGMENT), d.get(Fields.SPEAKER_NAME),
                        d.getField(Fields.START_MS).numericValue().longValue(), d.getField(Fields.END_MS).numericValue().longValue(),
                        d.get(Fields.LANGUAGE), s == null ? text : s.text(), s == null ? List.of() : s.ranges()));
            }
            hits.sort(Comparator.comparingLong(SearchResult.Hit::startMs));
            out.add(new SearchResult.MeetingHits(g.meetingId, title, g.date, g.count, g.best, hits));
        }
        return out;
    }

    /** A segment's whole text (segments are a few sentences) and the matched words in it. */
    record Snippet(String text, List<int[]> ranges) {
    }

    private static MarkingHighlighter highlighter(IndexSearcher searcher) {
        return new MarkingHighlighter(UnifiedHighlighter.builder(searcher, ArchiveAnalyzers.perField())
                .withBreakIterator(WholeBreakIterator::new)
                .withMaxNoHighlightPassages(1)
                .withHighlightPhrasesStrictly(true)
                .withFormatter(new RangesFormatter()));
    }

    /** The highlighter with its structured output made reachable (the API returns strings). */
    private static final class MarkingHighlighter extends UnifiedHighlighter {
        MarkingHighlighter(Builder b) {
            super(b);
        }

        Map<String, Object[]> marked(int[] docs, Query q) throws IOException {
            String[] fields = Fields.TEXT_FIELDS.toArray(String[]::new);
            int[] passages = new int[fields.length];
            java.util.Arrays.fill(passages, 1);
            return highlightFieldsAsObjects(fields, q, docs, passages);
        }
    }

    /** Passages as text plus match ranges, never HTML: the page marks them safely. */
    private static final class RangesFormatter extends PassageFormatter {
        @Override
        public Object format(Passage[] passages, String content) {
            StringBuilder text = new StringBuilder();
            List<int[]> ranges = new ArrayList<>();
            for (Passage p : passages) {
                int base = text.length() - p.getStartOffset();
                text.append(content, p.getStartOffset(), p.getEndOffset());
                for (int i = 0; i < p.getNumMatches(); i++) {
                    int s = p.getMatchStarts()[i] + base;
                    int e = p.getMatchEnds()[i] + base;
                    if (!ranges.isEmpty() && ranges.get(ranges.size() - 1)[1] >= s) {
                        ranges.get(ranges.size() - 1)[1] = Math.max(e, ranges.get(ranges.size() - 1)[1]);
                    } else {
                        ranges.add(new int[] {s, e});
                    }
                }
            }
            return new Snippet(text.toString(), ranges);
        }
    }

    static Set<String> textFields() {
        return Set.copyOf(Fields.TEXT_FIELDS);
    }
}
