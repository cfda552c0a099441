package io.kccr.node.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kccr.core.shard.SearchableIndex;
import java.util.List;
import java.util.Locale;

/** The answers of the cluster-level APIs ({@link ClusterController}), in Elasticsearch's shapes. */
final class ClusterResponses {
    /** The Elasticsearch version the API is compatible with, as the official client checks it. */
    static final String COMPATIBLE_VERSION = "9.0.0";

    private ClusterResponses() {
    }

    /** {@code GET /}: who this node is. */
    record Root(String name, String clusterName, String clusterUuid, Version version, String tagline) {
        static Root of(String nodeName, String clusterName, String clusterUuid) {
            return new Root(nodeName, clusterName, clusterUuid, Version.CURRENT, "You Know, for Search");
        }
    }

    /** The {@code version} of {@link Root}: the Elasticsearch version the official client expects. */
    record Version(String number, String buildFlavor, String buildType, String buildHash, String buildDate,
                   boolean buildSnapshot, String luceneVersion, String minimumWireCompatibilityVersion,
                   String minimumIndexCompatibilityVersion) {
        static final Version CURRENT = new Version(COMPATIBLE_VERSION, "default", "kccr", "kccr",
                "2026-01-01T00:00:00.000Z", false, org.apache.lucene.util.Version.LATEST.toString(), "8.18.0",
                "8.0.0");
    }

    /** {@code GET /_cluster/health}: green, one node, every shard of {@code shards} active. */
    record Health(String clusterName, String status, boolean timedOut, int numberOfNodes, int numberOfDataNodes,
                  int activePrimaryShards, int activeShards, int relocatingShards, int initializingShards,
                  int unassignedShards, int unassignedPrimaryShards, int delayedUnassignedShards,
                  int numberOfPendingTasks, int numberOfInFlightFetch, long taskMaxWaitingInQueueMillis,
                  double activeShardsPercentAsNumber) {
        static Health green(String clusterName, List<? extends SearchableIndex> indices) {
            return of(clusterName, indices, List.of());
        }

        /** Green, or red with the shards of indices that failed to open counted unassigned. */
        static Health of(String clusterName, List<? extends SearchableIndex> indices,
                         List<io.kccr.leader.FailedIndex> red) {
            int shards = indices.stream().mapToInt(i -> i.metadata().numberOfShards()).sum();
            int unassigned = red.stream().mapToInt(io.kccr.leader.FailedIndex::shards).sum();
            double active = shards + unassigned == 0 ? 100.0 : 100.0 * shards / (shards + unassigned);
            return new Health(clusterName, unassigned == 0 ? "green" : "red", false, 1, 1, shards, shards, 0, 0,
                    unassigned, unassigned, 0, 0, 0, 0, active);
        }
    }

    /** One row of {@code GET /_cat/indices}: every cell as text, as Elasticsearch's cat APIs answer. */
    record CatIndex(String health, String status, String index, String uuid, String pri, String rep,
                    @JsonProperty("docs.count") String docsCount, @JsonProperty("docs.deleted") String docsDeleted,
                    @JsonProperty("store.size") String storeSize, @JsonProperty("pri.store.size") String priStoreSize,
                    @JsonProperty("dataset.size") String datasetSize) {
        /** The columns of the text table, in the order of the cells. */
        static final String[] HEADER = {"health", "status", "index", "uuid", "pri", "rep", "docs.count",
            "docs.deleted", "store.size", "pri.store.size", "dataset.size"};

        /** A row; a closed index shows {@code close} and no document counts or sizes, as in Elasticsearch. */
        static CatIndex of(SearchableIndex index, boolean closed) {
            if (closed) {
                return new CatIndex("green", "close", index.name(), index.metadata().uuid(),
                        String.valueOf(index.metadata().numberOfShards()), "0", null, null, null, null, null);
            }
            String size = bytes(index.sizeInBytes());
            return new CatIndex("green", "open", index.name(), index.metadata().uuid(),
                    String.valueOf(index.metadata().numberOfShards()), "0", String.valueOf(index.docCount()), "0",
                    size, size, size);
        }

        /** The row of an index that failed to open: red, its documents unknown. */
        static CatIndex red(io.kccr.leader.FailedIndex index) {
            return new CatIndex("red", "open", index.name(), index.uuid(), String.valueOf(index.shards()), "0", null,
                    null, null, null, null);
        }

        /** The cells of the text table, in {@link #HEADER}'s order. */
        String[] cells() {
            String[] cells = {health, status, index, uuid, pri, rep, docsCount, docsDeleted, storeSize,
                priStoreSize, datasetSize};
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i] == null ? "" : cells[i]; // a closed index's counts: empty, as Elasticsearch's
            }
            return cells;
        }
    }

    /** Elasticsearch's human byte sizes: {@code 4.2mb}, {@code 812b}. */
    static String bytes(long n) {
        String[] units = {"b", "kb", "mb", "gb", "tb"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + "b" : String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }
}
