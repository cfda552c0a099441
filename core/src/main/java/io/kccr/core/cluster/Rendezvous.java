package io.kccr.core.cluster;

import java.util.Collection;
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
        String best = null;
        int bestWeight = 0;
        for (String member : members) {
            int weight = StringHelper.murmurhash3_x86_32(new BytesRef(key + '\u0000' + member), 0x9747b28c);
            if (best == null || weight > bestWeight || (weight == bestWeight && member.compareTo(best) < 0)) {
                best = member;
                bestWeight = weight;
            }
        }
        return best;
    }
}
