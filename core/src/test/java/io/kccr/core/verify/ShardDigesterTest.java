package io.kccr.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.shard.LuceneShard;
import io.kccr.core.wire.Operation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Digests of a real Lucene shard: id order across segments, deletes and updates, the checkpoint, NDJSON. */
class ShardDigesterTest {
    private static final String HISTORY = "h";
    private final DocumentMapper mapper = new DocumentMapper();

    @TempDir
    Path dir;

    private long offset;

    private void index(LuceneShard shard, String id, String source, long seqNo) throws IOException {
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        shard.apply(Operation.index(id, bytes, seqNo, 1, 1, 0, HISTORY), mapper.parse(id, bytes, Mappings.empty()),
                offset++, false);
    }

    private static List<DocDigest> all(DigestStream digest) throws IOException {
        List<DocDigest> out = new ArrayList<>();
        for (DocDigest d = digest.next(); d != null; d = digest.next()) {
            out.add(d);
        }
        return out;
    }

    private static ShardDigester open(LuceneShard shard, Long maxSeqNo) throws IOException {
        return ShardDigester.open("idx", 1, shard, maxSeqNo, Duration.ZERO, Clock.systemUTC());
    }

    @Test
    void streamsLiveDocumentsInIdOrderAcrossSegmentsWithoutRefreshing() throws Exception {
        try (LuceneShard shard = new LuceneShard(0, dir, HISTORY)) {
            index(shard, "b", "{\"n\":1}", 0);
            index(shard, "d", "{\"n\":2}", 1);
            shard.commit(); // a segment
            index(shard, "a", "{\"n\":3}", 2);
            index(shard, "b", "{\"n\":4}", 3); // b updated: its old version is deleted in the first segment
            shard.apply(Operation.delete("d", 4, 1, 2, 0, HISTORY), null, offset++, false);
            index(shard, "c", "{\"n\":5}", 5);
            // no refresh: the digest sees every applied op all the same
            try (ShardDigester digest = open(shard, null)) {
                assertThat(digest.header()).isEqualTo(new DigestHeader("idx", 0, 1, 5, 5));
                List<DocDigest> docs = all(digest);
                assertThat(docs).extracting(DocDigest::id).containsExactly("a", "b", "c");
                assertThat(docs).extracting(DocDigest::seqNo).containsExactly(2L, 3L, 5L);
                byte[] b = "{\"n\":4}".getBytes(StandardCharsets.UTF_8);
                assertThat(docs.get(1).hash()).isEqualTo(SourceHash.of(b, 0, b.length)).hasSize(32);
                assertThat(digest.count()).isEqualTo(3);
            }
        }
    }

    @Test
    void documentsAboveTheCheckpointHaveNoHash() throws Exception {
        try (LuceneShard shard = new LuceneShard(0, dir, HISTORY)) {
            index(shard, "a", "{}", 0);
            index(shard, "b", "{}", 1);
            try (ShardDigester digest = open(shard, 0L)) {
                assertThat(digest.header().checkpoint()).isZero();
                assertThat(digest.header().maxSeqNo()).isEqualTo(1);
                List<DocDigest> docs = all(digest);
                assertThat(docs.get(0).hash()).isNotNull();
                assertThat(docs.get(1).hash()).isNull();
            }
            try (ShardDigester digest = open(shard, 7L)) {
                assertThat(digest.header().checkpoint()).as("capped at what the shard applied").isEqualTo(1);
            }
        }
    }

    @Test
    void ndjsonCarriesTheDigestAndRefusesACutOffOne() throws Exception {
        byte[] body;
        List<DocDigest> expected;
        try (LuceneShard shard = new LuceneShard(0, dir, HISTORY)) {
            int docs = 2 * ShardDigester.WINDOW + 7; // several windows, over several segments
            for (int i = 0; i < docs; i++) {
                index(shard, "id" + i, "{\"i\":" + i + "}", i);
                if (i % 3000 == 0) {
                    shard.commit();
                }
            }
            try (ShardDigester digest = open(shard, null)) {
                expected = all(digest);
            }
            assertThat(expected).hasSize(2 * ShardDigester.WINDOW + 7);
            assertThat(expected).extracting(DocDigest::id).isSortedAccordingTo(IdOrder.COMPARATOR);
            byte[] last = ("{\"i\":" + (docs - 1) + "}").getBytes(StandardCharsets.UTF_8);
            assertThat(expected).contains(new DocDigest("id" + (docs - 1), docs - 1, SourceHash.of(last, 0, last.length)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ShardDigester digest = open(shard, null);
                 JsonGenerator json = new JsonFactory().createGenerator(out)) {
                DigestNdjson.write(digest, json);
            }
            body = out.toByteArray();
        }
        try (DigestStream read = DigestNdjson.reader(new ByteArrayInputStream(body))) {
            assertThat(read.header()).isEqualTo(new DigestHeader("idx", 0, 1, 2L * ShardDigester.WINDOW + 6, 2L * ShardDigester.WINDOW + 6));
            assertThat(all(read)).isEqualTo(expected);
            assertThat(read.next()).isNull();
        }
        byte[] cut = Arrays.copyOf(body, body.length / 2);
        cut = Arrays.copyOf(cut, new String(cut, StandardCharsets.UTF_8).lastIndexOf('\n') + 1);
        try (DigestStream read = DigestNdjson.reader(new ByteArrayInputStream(cut))) {
            assertThatThrownBy(() -> all(read)).isInstanceOf(IOException.class).hasMessageContaining("end line");
        }
    }
}
