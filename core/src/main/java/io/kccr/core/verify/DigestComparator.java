package io.kccr.core.verify;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a leader shard's digest with its follower shard's by a merge-join on the id: both streams are in
 * {@link IdOrder}, so one pass with one document of each side in hand decides every id, with constant memory.
 *
 * <p>Per id, up to the checkpoint: alike on both sides (seq_no and source hash) is <em>matched</em>; only on the
 * leader is <em>missing</em>; only on the follower is <em>extra</em>; on both but not alike is <em>different</em>.
 * An id either side wrote above the checkpoint is not compared (<em>beyond_checkpoint</em>): the follower may not
 * have applied it yet, or applied it after the leader's reader was opened. Note that a document the leader deleted
 * above the checkpoint is gone from the leader's index while the follower still holds it: such a document shows as
 * extra; compare again once the follower has applied the delete.
 */
public final class DigestComparator {
    private final int maxDifferencesPerType;

    /** {@code maxDifferencesPerType}: how many differences of each type a report lists (all are counted). */
    public DigestComparator(int maxDifferencesPerType) {
        if (maxDifferencesPerType < 0) {
            throw new IllegalArgumentException("maxDifferencesPerType must be >= 0, got " + maxDifferencesPerType);
        }
        this.maxDifferencesPerType = maxDifferencesPerType;
    }

    /** Compares the two digests of one shard up to {@code checkpoint}, reading both to the end. */
    public ShardReport compare(int shard, long checkpoint, DigestStream leader, DigestStream follower)
            throws IOException {
        Counts c = new Counts();
        DocDigest l = leader.next();
        DocDigest f = follower.next();
        while (l != null || f != null) {
            int order = l == null ? 1 : f == null ? -1 : IdOrder.compare(l.id(), f.id());
            if (order == 0) {
                if (l.seqNo() > checkpoint || f.seqNo() > checkpoint) {
                    c.beyond++;
                } else if (l.seqNo() == f.seqNo() && l.hash() != null && l.hash().equals(f.hash())) {
                    c.matched++;
                } else {
                    c.add(new Difference(Difference.Type.DIFFERENT, l.id(), l.seqNo(), f.seqNo(), l.hash(), f.hash()));
                }
                l = leader.next();
                f = follower.next();
            } else if (order < 0) {
                if (l.seqNo() > checkpoint) {
                    c.beyond++;
                } else {
                    c.add(new Difference(Difference.Type.MISSING, l.id(), l.seqNo(), -1, l.hash(), null));
                }
                l = leader.next();
            } else {
                if (f.seqNo() > checkpoint) {
                    c.beyond++;
                } else {
                    c.add(new Difference(Difference.Type.EXTRA, f.id(), -1, f.seqNo(), null, f.hash()));
                }
                f = follower.next();
            }
        }
        List<Difference> first = new ArrayList<>();
        c.first.values().forEach(first::addAll);
        first.sort((a, b) -> IdOrder.compare(a.id(), b.id()));
        return new ShardReport(shard, checkpoint, leader.header().maxSeqNo(), follower.header().maxSeqNo(),
                leader.count(), follower.count(), c.matched, c.count(Difference.Type.MISSING),
                c.count(Difference.Type.EXTRA), c.count(Difference.Type.DIFFERENT), c.beyond, first);
    }

    private final class Counts {
        long matched;
        long beyond;
        final Map<Difference.Type, Long> counts = new EnumMap<>(Difference.Type.class);
        final Map<Difference.Type, List<Difference>> first = new EnumMap<>(Difference.Type.class);

        void add(Difference d) {
            counts.merge(d.type(), 1L, Long::sum);
            List<Difference> list = first.computeIfAbsent(d.type(), t -> new ArrayList<>());
            if (list.size() < maxDifferencesPerType) {
                list.add(d);
            }
        }

        long count(Difference.Type type) {
            return counts.getOrDefault(type, 0L);
        }
    }
}
