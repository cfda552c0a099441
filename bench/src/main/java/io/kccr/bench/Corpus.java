package io.kccr.bench;

import io.kccr.node.sample.SampleData;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The benchmarks' documents: the GeoNames cities, and for more documents than the corpus holds the same cities again,
 * as many times as needed (document {@code i} is city {@code i mod 171,075}); every benchmark gives document
 * {@code i} the id {@code i + 1}, so ids stay distinct ("suffixed") however many there are. Nothing is copied.
 */
final class Corpus {
    private Corpus() {
    }

    /** The first {@code n} documents (cycling through the corpus past its end). */
    static List<byte[]> documents(int n) {
        List<byte[]> corpus = SampleData.documents();
        if (n <= corpus.size()) {
            return corpus.subList(0, n);
        }
        return new Cycled(corpus, n);
    }

    private static final class Cycled extends AbstractList<byte[]> implements RandomAccess {
        private final List<byte[]> corpus;
        private final int size;

        Cycled(List<byte[]> corpus, int size) {
            this.corpus = corpus;
            this.size = size;
        }

        @Override
        public byte[] get(int index) {
            return corpus.get(index % corpus.size());
        }

        @Override
        public int size() {
            return size;
        }
    }
}
