package io.kccr.bench;

import io.kccr.node.sample.SampleData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The documents every benchmark writes: the GeoNames corpus (171,075 cities, data by GeoNames, CC BY 4.0) repeated
 * as often as it takes to make {@code size} documents. Document {@code i} (from 0) is city {@code i mod 171,075}
 * with id {@code i + 1}, the id {@link SampleData#index} gives it, so ids stay distinct however many rounds there
 * are, a larger corpus never replaces a document, and a benchmark writing through the REST API and one writing
 * through the engine write the same documents. Only the cities are held in memory (about 17 MB), whatever the
 * size. Immutable and thread-safe.
 */
final class Corpus {
    private final List<byte[]> cities;
    private final int size;

    private Corpus(List<byte[]> cities, int size) {
        this.cities = cities;
        this.size = size;
    }

    /** The first {@code size} documents: a prefix of the cities when it is smaller, rounds of them when larger. */
    static Corpus geonames(int size) {
        return of(SampleData.documents(), size);
    }

    static Corpus of(List<byte[]> cities, int size) {
        if (size < 1 || cities.isEmpty()) {
            throw new IllegalArgumentException("a corpus needs at least one document, got " + size);
        }
        return new Corpus(cities, size);
    }

    int size() {
        return size;
    }

    /** How many cities the corpus repeats. */
    int cities() {
        return cities.size();
    }

    String id(int i) {
        return Integer.toString(i + 1);
    }

    /** The JSON source of document {@code i}; shared, do not modify. */
    byte[] source(int i) {
        return cities.get(i % cities.size());
    }

    /**
     * The sources of all documents in order, as a view (nothing is copied): for {@link SampleData#index}, which
     * gives document {@code i} the id {@link #id(int)} gives it.
     */
    List<byte[]> documents() {
        return new Sources();
    }

    /** The {@code _bulk} body indexing documents {@code [from, to)} under their ids. */
    byte[] bulkBody(int from, int to) {
        ByteArrayOutputStream body = new ByteArrayOutputStream((to - from) * 160);
        for (int i = from; i < to; i++) {
            body.writeBytes(("{\"index\":{\"_id\":\"" + id(i) + "\"}}\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(source(i));
            body.write('\n');
        }
        return body.toByteArray();
    }

    /** {@code 171,075 GeoNames documents} or {@code 1,000,000 GeoNames documents (171,075 cities repeated, ...)}. */
    String describe() {
        return size <= cities.size() ? String.format("%,d GeoNames documents", size)
                : String.format("%,d GeoNames documents (%,d cities repeated, each document with an id of its own)",
                        size, cities.size());
    }

    private final class Sources extends AbstractList<byte[]> implements RandomAccess {
        @Override
        public byte[] get(int index) {
            return source(Objects.checkIndex(index, size));
        }

        @Override
        public int size() {
            return size;
        }
    }
}
