package io.kccr.core.recovery;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kccr.core.index.ShardCommitData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.IndexCommit;

/**
 * One shard's pinned Lucene commit in a {@link RestoreManifest}: every file the commit consists of,
 * and the commit's user data.
 *
 * <p>Contract: {@code files} lists every file of the commit ({@link IndexCommit#getFileNames()}),
 * the {@code segments_N} file last; a follower that copies them all, installs {@code segments_N}
 * last and opens the directory has exactly the leader's commit. {@code userData} carries
 * {@code max_seq_no}, {@code kafka_next_offset}, {@code history_uuid} and {@code mapping_version}
 * ({@link ShardCommitData}): the follower resumes the shard's partition at
 * {@code kafka_next_offset}.
 *
 * <pre>{@code
 * {"shard":0,"generation":3,"files":[{"name":"_0.cfe","length":479,"checksum":2894001257},...,
 *  {"name":"segments_3","length":356,"checksum":1029384756}],
 *  "user_data":{"history_uuid":"...","kafka_next_offset":"42","mapping_version":"1","max_seq_no":"41"}}
 * }</pre>
 *
 * @param shard      the shard number
 * @param generation the commit's generation (the N of {@code segments_N})
 * @param files      the commit's files, {@code segments_N} last
 * @param userData   the commit's user data, sorted by key
 */
public record ShardSnapshot(@JsonProperty("shard") int shard, @JsonProperty("generation") long generation,
                            @JsonProperty("files") List<StoreFile> files,
                            @JsonProperty("user_data") Map<String, String> userData) {

    private static final String SEGMENTS_PREFIX = "segments_";

    public ShardSnapshot {
        files = List.copyOf(files);
        userData = Collections.unmodifiableMap(new TreeMap<>(userData));
    }

    /** Describes {@code commit} of shard {@code shard}, reading each file's length and footer checksum. */
    public static ShardSnapshot of(int shard, IndexCommit commit) throws IOException {
        List<StoreFile> files = new ArrayList<>();
        for (String name : commit.getFileNames()) {
            files.add(StoreFile.read(commit.getDirectory(), name));
        }
        files.sort(Comparator.comparing((StoreFile f) -> f.name().startsWith(SEGMENTS_PREFIX))
                .thenComparing(StoreFile::name));
        return new ShardSnapshot(shard, commit.getGeneration(), files, commit.getUserData());
    }

    /** The file named {@code name}, or null when the commit has no such file. */
    public StoreFile file(String name) {
        for (StoreFile f : files) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The commit point file, {@code segments_N}; null only for a snapshot that lists none. */
    public StoreFile segmentsFile() {
        return files.stream().filter(f -> f.name().startsWith(SEGMENTS_PREFIX)).findFirst().orElse(null);
    }

    /** The sum of the files' lengths. */
    public long totalBytes() {
        return files.stream().mapToLong(StoreFile::length).sum();
    }

    /** The commit's user data as {@link ShardCommitData}; null when it carries none (an empty shard). */
    public ShardCommitData commitData() {
        return ShardCommitData.fromUserData(userData);
    }
}
