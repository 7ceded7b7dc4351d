package org.steno.archive.index;

import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.shingle.ShingleFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.util.ElisionFilter;

/**
 * How words are cut and normalised, per field. Accents are folded everywhere ("réunion" and
 * "reunion" are one word: people type without them), then French text is stemmed lightly
 * ("réunions" → "reunion") and English text by KStem ("meetings" → "meeting"). No stop words:
 * an exact phrase must match with its little words. The same analyzer runs at index and query
 * time, so what a person types meets what was said.
 */
public final class ArchiveAnalyzers {

    private ArchiveAnalyzers() {
    }

    /** French: elided articles removed ("l'équipe" → "equip"), folded, light-stemmed. */
    public static Analyzer french() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer source = new StandardTokenizer();
                TokenStream s = new ElisionFilter(source, FrenchAnalyzer.DEFAULT_ARTICLES);
                s = new LowerCaseFilter(s);
                s = new ASCIIFoldingFilter(s);
                s = new FrenchLightStemFilter(s);
                return new TokenStreamComponents(source, s);
            }
        };
    }

    /** English: possessives removed, folded, KStem (a dictionary stemmer: fewer odd stems than Porter). */
    public static Analyzer english() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer source = new StandardTokenizer();
                TokenStream s = new EnglishPossessiveFilter(source);
                s = new LowerCaseFilter(s);
                s = new ASCIIFoldingFilter(s);
                s = new KStemFilter(s);
                return new TokenStreamComponents(source, s);
            }
        };
    }

    /** Any other language, speaker names and titles: words lower-cased and folded, not stemmed. */
    public static Analyzer folding() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer source = new StandardTokenizer();
                TokenStream s = new LowerCaseFilter(source);
                s = new ASCIIFoldingFilter(s);
                return new TokenStreamComponents(source, s);
            }
        };
    }

    /**
     * A text field's words as adjacent pairs ("vote du budget" → "vote du", "du budget"), each word
     * normalised as in the text field; a single word gives nothing.
     */
    public static Analyzer pairs(Analyzer words) {
        return new org.apache.lucene.analysis.AnalyzerWrapper(words.getReuseStrategy()) {
            @Override
            protected Analyzer getWrappedAnalyzer(String fieldName) {
                return words;
            }

            @Override
            protected TokenStreamComponents wrapComponents(String fieldName, TokenStreamComponents components) {
                ShingleFilter pairs = new ShingleFilter(components.getTokenStream(), 2, 2);
                pairs.setOutputUnigrams(false);
                pairs.setOutputUnigramsIfNoShingles(false);
                return new TokenStreamComponents(components.getSource(), pairs);
            }
        };
    }

    /** The analyzer of every field of the index (fields not named are not analyzed). */
    public static Analyzer perField() {
        return new PerFieldAnalyzerWrapper(folding(), Map.of(
                Fields.TEXT_FR, french(),
                Fields.TEXT_EN, english(),
                Fields.pairsOf(Fields.TEXT_FR), pairs(french()),
                Fields.pairsOf(Fields.TEXT_EN), pairs(english()),
                Fields.pairsOf(Fields.TEXT_OTHER), pairs(folding())));
    }
}
