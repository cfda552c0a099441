package io.kccr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * One index's {@code GET /<index>/_recovery} answer (Elasticsearch's shape) summed over its shards: bytes copied
 * ({@code index.size}: recovered plus reused, of total), operations replayed ({@code translog}: recovered of total),
 * and the stage of the least advanced shard.
 */
record RecoverySummary(int shards, int shardsDone, long bytesDone, long bytesTotal, long opsDone, long opsTotal,
        String stage) {

    /** The order of Elasticsearch's recovery stages; an unknown stage sorts first. */
    private static final List<String> STAGES = List.of("INIT", "INDEX", "VERIFY_INDEX", "FINALIZE", "TRANSLOG", "DONE");

    static RecoverySummary of(JsonNode recovery, String index) {
        int shards = 0;
        int done = 0;
        long bytesDone = 0;
        long bytesTotal = 0;
        long opsDone = 0;
        long opsTotal = 0;
        String least = null;
        for (JsonNode shard : recovery.path(index).path("shards")) {
            shards++;
            String stage = shard.path("stage").asText("INIT").toUpperCase(Locale.ROOT);
            if (stage.equals("DONE")) {
                done++;
            }
            if (least == null || STAGES.indexOf(stage) < STAGES.indexOf(least)) {
                least = stage;
            }
            JsonNode size = shard.path("index").path("size");
            bytesTotal += size.path("total_in_bytes").asLong();
            bytesDone += size.path("recovered_in_bytes").asLong() + size.path("reused_in_bytes").asLong();
            JsonNode translog = shard.path("translog");
            opsTotal += translog.path("total").asLong();
            opsDone += translog.path("recovered").asLong();
        }
        return new RecoverySummary(shards, done, bytesDone, bytesTotal, opsDone, opsTotal,
                least == null ? "INIT" : least);
    }

    /** Whether operations are being replayed (a rebuild's second phase), rather than files copied. */
    boolean replaying() {
        return opsTotal > 0 && (stage.equals("TRANSLOG") || bytesTotal == 0 || bytesDone >= bytesTotal);
    }

    /** Bytes in a short human form: 812b, 12.3kb, 4.5mb, 1.2gb (Elasticsearch's units). */
    static String bytes(long n) {
        if (n < 1024) {
            return n + "b";
        }
        String[] units = {"kb", "mb", "gb", "tb"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }
}
