package org.steno.archive.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.archive.Transcripts;
import org.steno.archive.index.ArchiveIndex;
import org.steno.archive.index.TranscriptDocuments;
import org.steno.archive.query.BadQueryException;
import org.steno.archive.query.SearchQueryParser;
import org.steno.proto.transcript.v1.Transcript;

class ArchiveSearcherTest {

    @TempDir
    Path dir;
    ArchiveIndex index;
    ArchiveSearcher searcher;

    @BeforeEach
    void build() throws IOException {
        index = ArchiveIndex.open(dir);
        add("m-conseil", Transcripts.of("m-conseil", "Conseil municipal", "fr-FR", Instant.parse("2026-11-12T09:00:00Z"),
                "Alice Martin|12.5|La réunion du conseil municipal commence.",
                "Bob Durand|20|Je propose de voter le budget de l'école.",
                "Alice Martin|31|Les réunions budgétaires sont terminées.",
                "Bob Durand|40|D'accord pour le budget.",
                "Alice Martin|55|Le budget est adopté à l'unanimité."));
        add("m-weekly", Transcripts.of("m-weekly", "Weekly", "en-US", Instant.parse("2026-12-01T14:00:00Z"),
                "Carol|5|The budget meetings are over.",
                "Dave|9|Next week we review the school budget.",
                "Carol|15|Reunion of the team on Friday."));
        add("m-old", Transcripts.of("m-old", "", "fr-FR", Instant.parse("2025-06-02T08:00:00Z"),
                "Bob Durand|3|Ancienne réunion sans budget."));
        index.commit();
        searcher = new ArchiveSearcher(index);
    }

    private void add(String meeting, Transcript t) throws IOException {
        String key = "meetings/" + meeting + "/transcripts/live-0/transcript.json";
        index.replace(key, TranscriptDocuments.of(key, "etag-1", meeting, "live-0", t));
    }

    @AfterEach
    void close() throws IOException {
        index.close();
    }

    private SearchResult search(String q) throws IOException {
        return searcher.search(SearchQueryParser.parse(q), SearchScope.all(), SortOrder.RELEVANCE, 1, 10);
    }

    private static List<String> meetings(SearchResult r) {
        return r.meetings().stream().map(SearchResult.MeetingHits::meetingId).toList();
    }

    @Test
    void accentsAreFoldedAndFrenchIsStemmed() throws IOException {
        SearchResult r = search("reunion");
        assertThat(meetings(r)).containsExactlyInAnyOrder("m-conseil", "m-weekly", "m-old");
        SearchResult.MeetingHits conseil = r.meetings().stream().filter(m -> m.meetingId().equals("m-conseil")).findFirst().orElseThrow();
        // "réunion" and "réunions" are one word.
        assertThat(conseil.hitCount()).isEqualTo(2);
        assertThat(search("budgetaire").totalHits()).isEqualTo(1);
        assertThat(search("École").totalHits()).isEqualTo(1);
    }

    @Test
    void highlightsMarkTheMatchedWordsInTheText() throws IOException {
        SearchResult r = search("réunion");
        SearchResult.Hit hit = r.meetings().stream().flatMap(m -> m.hits().stream())
                .filter(h -> h.text().startsWith("La réunion")).findFirst().orElseThrow();
        assertThat(hit.highlights()).hasSize(1);
        int[] range = hit.highlights().get(0);
        assertThat(hit.text().substring(range[0], range[1])).isEqualTo("réunion");
        assertThat(hit.speaker()).isEqualTo("Alice Martin");
        assertThat(hit.startMs()).isEqualTo(12_500);
        assertThat(hit.language()).isEqualTo("fr");
    }

    @Test
    void phrasesNeedTheWordsTogetherWordsDoNot() throws IOException {
        assertThat(search("budget école").totalHits()).isEqualTo(1);
        assertThat(search("\"budget de l'école\"").totalHits()).isEqualTo(1);
        assertThat(search("\"école budget\"").totalHits()).isZero();
        assertThat(search("school budget").totalHits()).isEqualTo(1);
        assertThat(search("\"budget meetings\"").totalHits()).isEqualTo(1);
        SearchResult.Hit phrase = search("\"conseil municipal\"").meetings().get(0).hits().get(0);
        assertThat(phrase.highlights()).hasSize(1);
        assertThat(phrase.text().substring(phrase.highlights().get(0)[0], phrase.highlights().get(0)[1])).isEqualTo("conseil municipal");
    }

    @Test
    void aLongPhraseIsItsWordsInOrderNotJustItsPairsSomewhere() throws IOException {
        // Phrases are looked up as adjacent word pairs: "the budget the" has both of its pairs in this
        // segment ("the budget", "budget the") but not one after the other.
        add("m-pairs", Transcripts.of("m-pairs", "Pairs", "en-US", Instant.parse("2026-12-02T10:00:00Z"),
                "Erin|1|Vote the budget then budget the vote."));
        index.commit();
        assertThat(search("\"the budget the\"").totalHits()).isZero();
        assertThat(search("\"then budget the vote\"").totalHits()).isEqualTo(1);
        assertThat(search("\"vote the budget\" -\"budget then budget\"").totalHits()).isZero();
        SearchResult.Hit hit = search("\"budget the vote\"").meetings().get(0).hits().get(0);
        assertThat(hit.text().substring(hit.highlights().get(0)[0], hit.highlights().get(0)[1]))
                .as("the words are marked, not the pairs").isEqualTo("budget the vote");
    }

    @Test
    void everyMeetingASearchFindsNewestFirstWithinTheScopeAndNotPastALimit() throws IOException {
        assertThat(searcher.meetingsMatching(SearchQueryParser.parse("budget"), SearchScope.all(), 10))
                .containsExactly("m-weekly", "m-conseil", "m-old");
        assertThat(searcher.meetingsMatching(SearchQueryParser.parse("budget"), SearchScope.only(java.util.Set.of("m-old")), 10))
                .containsExactly("m-old");
        assertThat(searcher.meetingsMatching(SearchQueryParser.parse("nothing-like-this"), SearchScope.all(), 10)).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> searcher.meetingsMatching(SearchQueryParser.parse("budget"),
                SearchScope.all(), 2)).isInstanceOf(org.steno.archive.query.BadQueryException.class).hasMessageContaining("finds 3 meetings");
    }

    @Test
    void exclusions() throws IOException {
        assertThat(search("budget -école").totalHits()).isEqualTo(search("budget").totalHits() - 1);
    }

    @Test
    void speakerMeetingLanguageAndDateFilters() throws IOException {
        assertThat(search("budget speaker:bob").totalHits()).isEqualTo(3);
        assertThat(search("budget speaker:\"bob durand\"").totalHits()).isEqualTo(3);
        assertThat(search("budget speaker:local:carol").totalHits()).isEqualTo(1);
        assertThat(search("budget speaker:alice speaker:carol").totalHits()).isEqualTo(2);
        assertThat(meetings(search("budget meeting:m-weekly"))).containsExactly("m-weekly");
        assertThat(meetings(search("budget lang:en"))).containsExactly("m-weekly");
        assertThat(meetings(search("budget from:2026-11-01 to:2026-11-30"))).containsExactly("m-conseil");
        assertThat(meetings(search("budget to:2025"))).containsExactly("m-old");
        assertThat(search("speaker:dave").totalHits()).isEqualTo(1);
    }

    @Test
    void resultsAreGroupedByMeetingWithAFewHitsEach() throws IOException {
        SearchResult r = search("budget");
        assertThat(r.totalMeetings()).isEqualTo(3);
        assertThat(r.totalHits()).isEqualTo(6); // "budgétaires" is another word than "budget"
        SearchResult.MeetingHits conseil = r.meetings().stream().filter(m -> m.meetingId().equals("m-conseil")).findFirst().orElseThrow();
        assertThat(conseil.hitCount()).isEqualTo(3);
        assertThat(conseil.hits()).hasSize(ArchiveSearcher.HITS_PER_MEETING);
        assertThat(conseil.hits()).extracting(SearchResult.Hit::startMs).isSorted();
        assertThat(conseil.title()).isEqualTo("Conseil municipal");
    }

    @Test
    void facetsCountSpeakersAndMonths() throws IOException {
        SearchResult r = search("budget");
        assertThat(r.speakers()).containsExactly(new SearchResult.FacetValue("Bob Durand", 3),
                new SearchResult.FacetValue("Alice Martin", 1), new SearchResult.FacetValue("Carol", 1),
                new SearchResult.FacetValue("Dave", 1));
        assertThat(r.months()).containsExactly(new SearchResult.FacetValue("2026-12", 2),
                new SearchResult.FacetValue("2026-11", 3), new SearchResult.FacetValue("2025-06", 1));
    }

    @Test
    void sortByDateAndPages() throws IOException {
        SearchResult byDate = searcher.search(SearchQueryParser.parse("budget"), SearchScope.all(), SortOrder.DATE, 1, 2);
        assertThat(meetings(byDate)).containsExactly("m-weekly", "m-conseil");
        SearchResult page2 = searcher.search(SearchQueryParser.parse("budget"), SearchScope.all(), SortOrder.DATE, 2, 2);
        assertThat(meetings(page2)).containsExactly("m-old");
        assertThat(page2.totalMeetings()).isEqualTo(3);
        SearchResult beyond = searcher.search(SearchQueryParser.parse("budget"), SearchScope.all(), SortOrder.DATE, 3, 2);
        assertThat(beyond.meetings()).isEmpty();
    }

    @Test
    void aScopeHidesOtherMeetingsFromHitsTotalsAndFacets() throws IOException {
        SearchResult mine = searcher.search(SearchQueryParser.parse("budget"), SearchScope.only(Set.of("m-weekly")),
                SortOrder.RELEVANCE, 1, 10);
        assertThat(meetings(mine)).containsExactly("m-weekly");
        assertThat(mine.totalMeetings()).isEqualTo(1);
        assertThat(mine.totalHits()).isEqualTo(2);
        assertThat(mine.speakers()).extracting(SearchResult.FacetValue::value).containsExactlyInAnyOrder("Carol", "Dave");
        // Naming another meeting does not reach it.
        SearchResult other = searcher.search(SearchQueryParser.parse("budget meeting:m-conseil"), SearchScope.only(Set.of("m-weekly")),
                SortOrder.RELEVANCE, 1, 10);
        assertThat(other.totalHits()).isZero();
        SearchResult none = searcher.search(SearchQueryParser.parse("budget"), SearchScope.only(Set.of()), SortOrder.RELEVANCE, 1, 10);
        assertThat(none.totalMeetings()).isZero();
        assertThat(none.speakers()).isEmpty();
    }

    @Test
    void aReplacedTranscriptIsFoundOnceInItsNewText() throws IOException {
        String key = "meetings/m-weekly/transcripts/live-0/transcript.json";
        index.replace(key, TranscriptDocuments.of(key, "etag-2", "m-weekly", "live-0",
                Transcripts.of("m-weekly", "Weekly", "en-US", Instant.parse("2026-12-01T14:00:00Z"),
                        "Carol|5|The spending meetings are over.")));
        index.commit();
        assertThat(search("spending").totalHits()).isEqualTo(1);
        assertThat(meetings(search("budget"))).doesNotContain("m-weekly");
        assertThat(index.versions()).containsEntry(key, "etag-2").hasSize(3);
    }

    @Test
    void pageLimitsAreEnforced() {
        assertThatThrownBy(() -> searcher.search(SearchQueryParser.parse("budget"), SearchScope.all(), SortOrder.DATE, 1, 500))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("1 to 50");
        assertThatThrownBy(() -> searcher.search(SearchQueryParser.parse("budget"), SearchScope.all(), SortOrder.DATE, 0, 10))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("page");
        assertThatThrownBy(() -> searcher.search(SearchQueryParser.parse("***"), SearchScope.all(), SortOrder.DATE, 1, 10))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("nothing in the query");
        assertThatThrownBy(() -> searcher.search(SearchQueryParser.parse("*:*"), SearchScope.all(), SortOrder.DATE, 1, 10))
                .isInstanceOf(BadQueryException.class).hasMessageContaining("nothing in the query");
    }
}
