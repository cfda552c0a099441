package io.kccr.core.mapping;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * Elasticsearch's {@code standard} analyzer, the one {@link DocumentMapper#analyzer()} hands out: Lucene's
 * {@link StandardAnalyzer} without stop words ({@link StandardTokenizer} with max token length 255, then
 * lower-casing), plus Elasticsearch's position increment gap of 100 between the values of a multi-valued field.
 * Thread-safe and shared by every writer and query parser, so {@link #close()} does nothing.
 */
final class StandardNoStopWordsAnalyzer extends Analyzer {

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        StandardTokenizer source = new StandardTokenizer();
        source.setMaxTokenLength(StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH);
        return new TokenStreamComponents(source, new LowerCaseFilter(source));
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(in);
    }

    @Override
    public int getPositionIncrementGap(String fieldName) {
        return 100;
    }

    @Override
    public void close() {
        // shared by every writer and query parser
    }

    @Override
    public String toString() {
        return "standard";
    }
}
