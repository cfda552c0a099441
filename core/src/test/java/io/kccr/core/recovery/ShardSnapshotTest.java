package io.kccr.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.index.ShardCommitData;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.shard.LuceneShard;
import io.kccr.core.wire.Operation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pinned commit of a {@link LuceneShard}: described exactly, kept on disk across commits, deleted on release. */
class ShardSnapshotTest {
    private final DocumentMapper mapper = new DocumentMapper();
    private long seqNo;
    private long offset;

    private void index(LuceneShard shard, int docs) throws Exception {
        for (int i = 0; i < docs; i++) {
            String id = "doc-" + seqNo;
            byte[] source = ("{\"n\":" + seqNo + ",\"text\":\"some words " + seqNo + "\"}").getBytes(StandardCharsets.UTF_8);
            Operation op = Operation.index(id, source, seqNo++, 1, 1, 1, shard.historyUuid());
            shard.apply(op, mapper.parse(id, source, Mappings.empty()), offset++, true);
        }
    }

    private static java.util.Collection<String> lastCommitFiles(Path dir) throws Exception {
        try (Directory d = FSDirectory.open(dir)) {
            return DirectoryReader.listCommits(d).getLast().getFileNames();
        }
    }

    @Test
    void pinnedCommitIsDescribedAndKeptUntilReleased(@TempDir Path dir) throws Exception {
        try (LuceneShard shard = new LuceneShard(2, dir, "hist")) {
            assertThatThrownBy(() -> shard.snapshotCommit(false)).isInstanceOf(IllegalStateException.class);
            index(shard, 50);
            IndexCommit pinned = shard.snapshotCommit(true);
            assertThat(shard.pinnedCommits()).isEqualTo(1);
            ShardSnapshot snapshot = ShardSnapshot.of(2, pinned);

            assertThat(snapshot.shard()).isEqualTo(2);
            assertThat(snapshot.generation()).isEqualTo(pinned.getGeneration());
            assertThat(snapshot.files()).extracting(StoreFile::name).containsExactlyInAnyOrderElementsOf(
                    pinned.getFileNames());
            assertThat(snapshot.files().getLast().name()).isEqualTo(pinned.getSegmentsFileName());
            assertThat(snapshot.commitData()).isEqualTo(new ShardCommitData(49, 50, "hist", 1));
            try (Directory d = FSDirectory.open(dir)) {
                for (StoreFile f : snapshot.files()) {
                    assertThat(Files.size(dir.resolve(f.name()))).as(f.name()).isEqualTo(f.length());
                    try (IndexInput in = d.openInput(f.name(), IOContext.READONCE)) {
                        assertThat(CodecUtil.checksumEntireFile(in)).as(f.name()).isEqualTo(f.checksum());
                    }
                }
            }

            // later commits keep the pinned files, although the last commit no longer lists some of them
            for (int round = 0; round < 3; round++) {
                index(shard, 20);
                shard.commit();
            }
            java.util.Collection<String> last = lastCommitFiles(dir);
            List<String> pinnedOnly = snapshot.files().stream().map(StoreFile::name)
                    .filter(n -> !last.contains(n)).toList();
            assertThat(pinnedOnly).as("files only the pinned commit holds").isNotEmpty();
            for (StoreFile f : snapshot.files()) {
                assertThat(dir.resolve(f.name())).exists();
            }

            shard.releaseCommit(pinned);
            assertThat(shard.pinnedCommits()).isZero();
            for (String name : pinnedOnly) {
                assertThat(dir.resolve(name)).as("released file").doesNotExist();
            }
            assertThatThrownBy(() -> shard.releaseCommit(pinned)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
