package io.kccr.node.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.index.IndexSettings;
import io.kccr.core.mapping.Mappings;
import io.kccr.leader.Acks;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.WriteCondition;
import io.kccr.leader.WriteResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The bundled sample data set: 171,075 GeoNames cities (data by GeoNames, CC BY 4.0), loaded
 * into index {@code geonames} with 3 shards, the line number as each document's id.
 */
public final class SampleData {
    public static final String INDEX = "geonames";
    public static final String RESOURCE = "/sample/geonames-cities.ndjson.gz";
    /** The mappings the sample index is created with. */
    public static final String MAPPINGS = """
            {"properties":{"name":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},
             "lat":{"type":"double"},"lng":{"type":"double"},"country":{"type":"keyword"},
             "admin1":{"type":"keyword"},"admin2":{"type":"keyword"}}}""";
    private static final int BATCH = 5_000;

    private SampleData() {
    }

    /** Each line of the bundled corpus, in order, as UTF-8 JSON bytes. */
    public static void forEachDocument(Consumer<byte[]> action) {
        try (InputStream raw = SampleData.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IOException("sample data " + RESOURCE + " is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw, 1 << 16),
                    StandardCharsets.UTF_8), 1 << 16);
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    action.accept(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of the corpus in memory, in order (about 17 MB). */
    public static List<byte[]> documents() {
        List<byte[]> docs = new ArrayList<>(171_075);
        forEachDocument(docs::add);
        return docs;
    }

    /**
     * Indexes {@code docs} into {@code index} with their line numbers (from 1) as ids, {@value #BATCH} writes
     * in flight at a time; prints progress after each batch when {@code out} is given.
     */
    public static void index(LeaderIndex index, List<byte[]> docs, Duration timeout, PrintStream out) {
        List<CompletableFuture<WriteResult>> pending = new ArrayList<>(BATCH);
        for (int i = 0; i < docs.size(); i++) {
            pending.add(index.index(Integer.toString(i + 1), docs.get(i), WriteCondition.NONE));
            if (pending.size() == BATCH || i == docs.size() - 1) {
                pending.forEach(f -> Acks.await(f, timeout));
                pending.clear();
                if (out != null) {
                    out.printf("loading sample data into [%s]: %d/%d documents%n", index.name(), i + 1, docs.size());
                }
            }
        }
        index.refresh();
    }

    /** The sample index's settings: 3 shards. */
    public static IndexSettings settings() {
        return IndexSettings.fromJson(new ObjectMapper().createObjectNode().put("number_of_shards", 3));
    }

    /** The sample index's mappings ({@link #MAPPINGS}). */
    public static Mappings mappings() {
        try {
            return Mappings.fromJson(new ObjectMapper().readTree(MAPPINGS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates and fills {@code geonames} unless it exists already. */
    public static void load(IndexCatalog catalog, Duration timeout, PrintStream out) {
        load(catalog, timeout, out, Integer.MAX_VALUE);
    }

    /**
     * Creates {@code geonames} unless it exists already, and fills it with the first {@code limit} documents of the
     * corpus (all of them when {@code limit} is larger). Returns whether it created the index.
     */
    public static boolean load(IndexCatalog catalog, Duration timeout, PrintStream out, int limit) {
        if (catalog.exists(INDEX)) {
            out.println("sample index [" + INDEX + "] exists already (" + catalog.get(INDEX).docCount() + " docs)");
            return false;
        }
        LeaderIndex index = catalog.create(INDEX, settings(), mappings());
        List<byte[]> all = documents();
        List<byte[]> docs = limit < all.size() ? all.subList(0, Math.max(0, limit)) : all;
        long start = System.nanoTime();
        index(index, docs, timeout, out);
        index.refresh();
        out.printf("loaded %d GeoNames cities into [%s] in %.1fs (data: GeoNames, CC BY 4.0)%n", docs.size(), INDEX,
                (System.nanoTime() - start) / 1e9);
        return true;
    }
}
