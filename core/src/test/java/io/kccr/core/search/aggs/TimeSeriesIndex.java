package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.routing.ShardRouting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.FSDirectory;

/**
 * A small time-series index on disk, three shards written with the product's document mapper (so doc values are
 * exactly a node's), searched through a MultiReader as a node does. The raw documents stay in memory for the tests
 * to compute expected answers from.
 */
final class TimeSeriesIndex implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MAPPINGS = """
            {"properties":{"host":{"type":"keyword"},"ts":{"type":"date"},"value":{"type":"double"},
             "count":{"type":"long"},"up":{"type":"boolean"},"msg":{"type":"text"},"tags":{"type":"keyword"}}}""";
    static final String[] HOSTS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
            "juliet", "kilo", "lima"};
    static final String[] WORDS = {"disk", "cpu", "memory", "network", "latency", "error", "warning", "ok"};
    static final long START = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

    /** One raw document. {@code value} or {@code count} may be missing (null). */
    record Doc(String id, String host, long ts, Double value, Long count, boolean up, String msg, List<String> tags) {
    }

    final Mappings mappings;
    final List<Doc> docs = new ArrayList<>();
    final IndexSearcher searcher;
    private final MultiReader reader;
    private final List<FSDirectory> dirs = new ArrayList<>();

    TimeSeriesIndex(Path dir, int n, long seed) throws IOException {
        mappings = Mappings.fromJson(JSON.readTree(MAPPINGS));
        Random r = new Random(seed);
        DocumentMapper mapper = new DocumentMapper();
        List<IndexWriter> writers = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            FSDirectory d = FSDirectory.open(dir.resolve("shard-" + s));
            dirs.add(d);
            writers.add(new IndexWriter(d, new IndexWriterConfig(DocumentMapper.analyzer()).setMaxBufferedDocs(97)));
        }
        for (int i = 0; i < n; i++) {
            // skewed hosts, so that the shards' top terms differ
            String host = HOSTS[Math.min(HOSTS.length - 1, (int) Math.abs(r.nextGaussian() * 4))];
            long ts = START + (long) (r.nextDouble() * 20 * 86_400_000L);
            Double value = r.nextInt(20) == 0 ? null : Math.round(r.nextDouble() * 100_000) / 1000.0;
            Long count = r.nextInt(25) == 0 ? null : (long) r.nextInt(1000);
            boolean up = r.nextInt(4) != 0;
            String msg = WORDS[r.nextInt(WORDS.length)] + " " + WORDS[r.nextInt(WORDS.length)] + " on " + host
                    + ". Checked again later: " + WORDS[r.nextInt(WORDS.length)] + ".";
            List<String> tags = new ArrayList<>();
            for (int t = r.nextInt(3); t > 0; t--) {
                String tag = "t" + r.nextInt(5);
                if (!tags.contains(tag)) {
                    tags.add(tag);
                }
            }
            Doc doc = new Doc("d" + i, host, ts, value, count, up, msg, tags);
            docs.add(doc);
            ObjectNode src = JSON.createObjectNode().put("host", host).put("ts", Instant.ofEpochMilli(ts).toString());
            if (value != null) {
                src.put("value", value);
            }
            if (count != null) {
                src.put("count", count);
            }
            src.put("up", up).put("msg", msg);
            tags.forEach(src.putArray("tags")::add);
            byte[] bytes = JSON.writeValueAsString(src).getBytes(StandardCharsets.UTF_8);
            writers.get(ShardRouting.shardFor(doc.id, 3)).addDocument(
                    mapper.parse(doc.id, bytes, mappings).toLuceneDocument(i, 1, 1));
        }
        DirectoryReader[] readers = new DirectoryReader[3];
        for (int s = 0; s < 3; s++) {
            writers.get(s).commit();
            writers.get(s).close();
            readers[s] = DirectoryReader.open(dirs.get(s));
        }
        reader = new MultiReader(readers, true);
        searcher = new IndexSearcher(reader);
    }

    @Override
    public void close() throws IOException {
        reader.close();
        for (FSDirectory d : dirs) {
            d.close();
        }
    }
}
