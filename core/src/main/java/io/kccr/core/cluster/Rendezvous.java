package io.kccr.core.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

/**
 * Rendezvous (highest random weight) hashing: of a set of members, the one with the highest hash of the key and the
 * member's id wins. Every node that knows the same members picks the same one, with no coordination; when a member
 * goes, only the keys it won move, each to the member that ranked second for it.
 */
public final class Rendezvous {
    private Rendezvous() {
    }

    /** The member {@code key} goes to; null when there is none. */
    public static String pick(String key, Collection<String> members) {
        List<String> ranked = rank(key, members);
        return ranked.isEmpty() ? null : ranked.getFirst();
    }

    /** The members in the order {@code key} ranks them, the one it goes to first. */
    public static List<String> rank(String key, Collection<String> members) {
        List<String> out = new ArrayList<>(members);
        out.sort(Comparator.comparingInt((String m) -> weight(key, m)).reversed().thenComparing(m -> m));
        return out;
    }

    private static int weight(String key, String member) {
        return StringHelper.murmurhash3_x86_32(new BytesRef(key + '\u0000' + member), 0x9747b28c);
    }
}
