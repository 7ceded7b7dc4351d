package org.steno.archive.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

class ArchiveAnalyzersTest {

    static List<String> tokens(Analyzer a, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = a.tokenStream("f", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        }
        return out;
    }

    @Test
    void frenchFoldsAccentsSoReunionFindsRéunion() throws IOException {
        Analyzer fr = ArchiveAnalyzers.french();
        assertThat(tokens(fr, "réunion")).isEqualTo(tokens(fr, "reunion")).hasSize(1);
        assertThat(tokens(fr, "RÉUNION")).isEqualTo(tokens(fr, "reunion"));
        assertThat(tokens(fr, "Élève")).isEqualTo(tokens(fr, "eleve"));
    }

    @Test
    void frenchStemsPluralsAndFeminines() throws IOException {
        Analyzer fr = ArchiveAnalyzers.french();
        assertThat(tokens(fr, "réunions")).isEqualTo(tokens(fr, "réunion"));
        assertThat(tokens(fr, "budgétaires")).isEqualTo(tokens(fr, "budgétaire"));
        assertThat(tokens(fr, "décidée")).isEqualTo(tokens(fr, "décidé"));
    }

    @Test
    void frenchDropsElidedArticles() throws IOException {
        Analyzer fr = ArchiveAnalyzers.french();
        assertThat(tokens(fr, "l'équipe")).isEqualTo(tokens(fr, "équipe"));
        assertThat(tokens(fr, "d'accord")).isEqualTo(tokens(fr, "accord"));
        assertThat(tokens(fr, "qu'il vienne")).hasSize(2);
    }

    @Test
    void englishStemsAndFolds() throws IOException {
        Analyzer en = ArchiveAnalyzers.english();
        assertThat(tokens(en, "meetings")).isEqualTo(tokens(en, "meeting"));
        assertThat(tokens(en, "budgets")).isEqualTo(tokens(en, "budget"));
        assertThat(tokens(en, "Alice's report")).isEqualTo(tokens(en, "alice report"));
        assertThat(tokens(en, "café")).isEqualTo(tokens(en, "cafe"));
    }

    @Test
    void foldingKeepsWordsWholeAndDropsLuceneSyntax() throws IOException {
        Analyzer plain = ArchiveAnalyzers.folding();
        assertThat(tokens(plain, "Zoé Müller")).containsExactly("zoe", "muller");
        assertThat(tokens(plain, "*:* AND (foo^10 OR bar~2)")).containsExactly("and", "foo", "10", "or", "bar", "2");
    }
}
