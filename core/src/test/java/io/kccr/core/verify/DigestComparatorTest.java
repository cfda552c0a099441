package io.kccr.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DigestComparatorTest {

    /** A digest of the given documents, sorted by {@link IdOrder}. */
    private static DigestStream digest(long maxSeqNo, DocDigest... docs) {
        TreeMap<String, DocDigest> sorted = new TreeMap<>(IdOrder.COMPARATOR);
        for (DocDigest d : docs) {
            sorted.put(d.id(), d);
        }
        Iterator<DocDigest> it = sorted.values().iterator();
        return new DigestStream() {
            long count;

            @Override
            public DigestHeader header() {
                return new DigestHeader("i", 0, 1, maxSeqNo, maxSeqNo);
            }

            @Override
            public DocDigest next() {
                if (!it.hasNext()) {
                    return null;
                }
                count++;
                return it.next();
            }

            @Override
            public long count() {
                return count;
            }

            @Override
            public void close() {
            }
        };
    }

    private static DocDigest doc(String id, long seqNo, String hash) {
        return new DocDigest(id, seqNo, hash);
    }

    @Test
    void identicalDigestsMatchEveryDocument() throws Exception {
        ShardReport r = new DigestComparator(10).compare(0, 5,
                digest(5, doc("a", 1, "h1"), doc("b", 2, "h2"), doc("c", 5, "h3")),
                digest(5, doc("a", 1, "h1"), doc("b", 2, "h2"), doc("c", 5, "h3")));
        assertThat(r.identical()).isTrue();
        assertThat(r.matched()).isEqualTo(3);
        assertThat(r.leaderDocs()).isEqualTo(3);
        assertThat(r.followerDocs()).isEqualTo(3);
        assertThat(r.firstDifferences()).isEmpty();
    }

    @Test
    void emptyShardsAreIdentical() throws Exception {
        ShardReport r = new DigestComparator(10).compare(0, -1, digest(-1), digest(-1));
        assertThat(r.identical()).isTrue();
        assertThat(r.matched()).isZero();
    }

    @Test
    void findsMissingExtraAndDifferentDocumentsInIdOrder() throws Exception {
        ShardReport r = new DigestComparator(10).compare(0, 9,
                digest(9, doc("a", 1, "h1"), doc("b", 2, "h2"), doc("c", 3, "h3"), doc("e", 5, "h5")),
                digest(9, doc("a", 1, "h1"), doc("b", 2, "XX"), doc("d", 4, "h4"), doc("e", 6, "h5")));
        assertThat(r.identical()).isFalse();
        assertThat(r.matched()).isEqualTo(1);
        assertThat(r.missing()).isEqualTo(1);
        assertThat(r.extra()).isEqualTo(1);
        assertThat(r.different()).isEqualTo(2);
        assertThat(r.firstDifferences()).containsExactly(
                new Difference(Difference.Type.DIFFERENT, "b", 2, 2, "h2", "XX"),
                new Difference(Difference.Type.MISSING, "c", 3, -1, "h3", null),
                new Difference(Difference.Type.EXTRA, "d", -1, 4, null, "h4"),
                new Difference(Difference.Type.DIFFERENT, "e", 5, 6, "h5", "h5"));
    }

    @Test
    void documentsAboveTheCheckpointAreNotCompared() throws Exception {
        ShardReport r = new DigestComparator(10).compare(0, 5,
                // leader: b rewritten at 8 (the follower still has it at 2), c new at 7, a alike
                digest(8, doc("a", 1, "h1"), doc("b", 8, null), doc("c", 7, null)),
                digest(5, doc("a", 1, "h1"), doc("b", 2, "h2")));
        assertThat(r.identical()).isTrue();
        assertThat(r.matched()).isEqualTo(1);
        assertThat(r.beyondCheckpoint()).isEqualTo(2);
        assertThat(r.leaderDocs()).isEqualTo(3);
        assertThat(r.followerDocs()).isEqualTo(2);
    }

    @Test
    void followerDocumentsAboveAnExplicitCheckpointAreNotCompared() throws Exception {
        ShardReport r = new DigestComparator(10).compare(0, 3,
                digest(9, doc("a", 1, "h1"), doc("z", 9, null)),
                digest(9, doc("a", 1, "h1"), doc("y", 8, null), doc("z", 9, null)));
        assertThat(r.identical()).isTrue();
        assertThat(r.beyondCheckpoint()).isEqualTo(2);
    }

    @Test
    void listsAtMostTheLimitPerTypeButCountsAll() throws Exception {
        List<DocDigest> leader = new ArrayList<>();
        List<DocDigest> follower = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            leader.add(doc(String.format("m%02d", i), i, "h"));
            follower.add(doc(String.format("x%02d", i), i, "h"));
        }
        ShardReport r = new DigestComparator(3).compare(0, 100, digest(100, leader.toArray(DocDigest[]::new)),
                digest(100, follower.toArray(DocDigest[]::new)));
        assertThat(r.missing()).isEqualTo(50);
        assertThat(r.extra()).isEqualTo(50);
        assertThat(r.firstDifferences()).extracting(Difference::id).containsExactly("m00", "m01", "m02", "x00",
                "x01", "x02");
    }

    @Test
    void idsAreOrderedByCodePointAsLuceneOrdersTheirBytes() {
        String supplementary = new String(Character.toChars(0x1F600)); // UTF-16: a surrogate pair, D83D DE00
        String privateUse = "\uE000";
        assertThat(supplementary.compareTo(privateUse)).isNegative(); // UTF-16 order
        assertThat(IdOrder.compare(supplementary, privateUse)).isPositive(); // UTF-8 / code point order
        assertThat(IdOrder.compare("ab", "abc")).isNegative();
        assertThat(IdOrder.compare("abc", "abc")).isZero();
        assertThat(IdOrder.compare("b", "abc")).isPositive();
    }
}
