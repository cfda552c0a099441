package io.kccr.bench;

import io.kccr.node.sample.SampleData;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The documents a benchmark writes: the GeoNames corpus (171,075 cities, data by GeoNames, CC BY 4.0) repeated
 * as often as it takes to make {@code size} documents. Document {@code i} (from 0) is city {@code i mod 171,075}
 * with id {@code <line>} in the first round ({@code 1} to {@code 171075}, the ids a node's sample data has) and
 * {@code <line>-<round>} after it, so every id is distinct and a larger corpus never replaces a document. Only
 * the cities are held in memory (about 17 MB), whatever the size. Immutable and thread-safe.
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
        int line = i % cities.size() + 1;
        int round = i / cities.size();
        return round == 0 ? Integer.toString(line) : line + "-" + round;
    }

    /** The JSON source of document {@code i}; shared, do not modify. */
    byte[] source(int i) {
        return cities.get(i % cities.size());
    }

    /** The {@code _bulk} body indexing documents {@code [from, to)} under their ids. */
    byte[] bulkBody(int from, int to) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream((to - from) * 160);
        for (int i = from; i < to; i++) {
            body.writeBytes(("{\"index\":{\"_id\":\"" + id(i) + "\"}}\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(source(i));
            body.write('\n');
        }
        return body.toByteArray();
    }

    /** {@code 171,075 GeoNames documents} or {@code 1,000,000 GeoNames documents (171,075 cities, ids suffixed)}. */
    String describe() {
        return size <= cities.size() ? String.format("%,d GeoNames documents", size)
                : String.format("%,d GeoNames documents (%,d cities repeated, ids suffixed -1, -2, ... after the first"
                        + " round)", size, cities.size());
    }
}
