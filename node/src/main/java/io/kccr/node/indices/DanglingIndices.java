package io.kccr.node.indices;

import io.kccr.core.error.AlreadyExistsException;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.index.IndexMetadata;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.LeaderIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elasticsearch's dangling indices: index directories under {@code <path.data>/indices/} that no index of the log
 * owns (the log was lost or replaced, the prefix changed, an index was deleted while the node was down). A node
 * never deletes them by itself: they are listed ({@code GET /_dangling}), imported
 * ({@code POST /_dangling/<uuid>?accept_data_loss=true}: a new leader index of the same name whose documents are
 * re-published to its new log) or deleted ({@code DELETE /_dangling/<uuid>?accept_data_loss=true}).
 *
 * <p>Thread-safe: imports and deletes are serialized.
 */
public final class DanglingIndices {
    private static final Logger log = LoggerFactory.getLogger(DanglingIndices.class);

    /**
     * One dangling index.
     *
     * @param metadata what its directory says of it ({@code index_metadata.json}); null for a directory written by
     *                 a version that kept none (its name is then unknown)
     */
    public record Dangling(String uuid, IndexMetadata metadata, Path dir) {
        public String name() {
            return metadata == null ? null : metadata.name();
        }

        public long creationDate() {
            return metadata == null ? 0 : metadata.creationDate();
        }
    }

    private final Path root;
    private final IndexCatalog catalog;
    private final Duration timeout;

    public DanglingIndices(Path dataPath, IndexCatalog catalog, Duration timeout) {
        this.root = dataPath.resolve("indices");
        this.catalog = catalog;
        this.timeout = timeout;
    }

    /** Every dangling index, by name (unknown names last). */
    public List<Dangling> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        Set<String> known = catalog.knownUuids();
        List<Dangling> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String uuid = dir.getFileName().toString();
                if (!known.contains(uuid)) {
                    out.add(new Dangling(uuid, readMetadata(dir), dir));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparing((Dangling d) -> d.name() == null ? "\uffff" : d.name()));
        return out;
    }

    private static IndexMetadata readMetadata(Path dir) {
        Path file = dir.resolve(LeaderIndex.METADATA_FILE);
        try {
            return Files.exists(file) ? IndexMetadata.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()))
                    : null;
        } catch (IOException | RuntimeException e) {
            log.warn("dangling index directory [{}]: unreadable {}", dir, LeaderIndex.METADATA_FILE, e);
            return null;
        }
    }

    /**
     * Imports dangling index {@code uuid}: creates a leader index with its name, settings and mappings, re-publishes
     * its live documents to the new index's log, and only then deletes the old directory. 400 without
     * {@code acceptDataLoss}, or when an index of that name exists; 404 for no such dangling index.
     */
    public synchronized void importIndex(String uuid, boolean acceptDataLoss) {
        requireDataLossAccepted(acceptDataLoss, "import");
        Dangling d = find(uuid);
        if (d.metadata() == null) {
            throw InvalidRequestException.illegalArgument("dangling index [" + uuid + "] has no "
                    + LeaderIndex.METADATA_FILE + ", so its name, settings and mappings are unknown; it cannot be"
                    + " imported. Delete it with DELETE /_dangling/" + uuid + "?accept_data_loss=true");
        }
        IndexMetadata meta = d.metadata();
        if (catalog.getOrNull(meta.name()) != null || catalog.failure(meta.name()) != null) {
            throw new AlreadyExistsException(meta.name(), uuid);
        }
        LeaderIndex target = catalog.create(meta.name(), meta.settings(), meta.mappings());
        try (ShardReaders readers = ShardReaders.open(d.dir(), meta.numberOfShards())) {
            long docs = DocumentRepublisher.republish(readers.reader(), target, timeout);
            target.refresh();
            log.info("dangling index [{}] ({}) imported as [{}]: {} documents re-published", meta.name(), uuid,
                    target.metadata().uuid(), docs);
        } catch (IOException e) {
            throw new UncheckedIOException("importing dangling index [" + uuid + "] failed: " + e.getMessage()
                    + "; the new index [" + meta.name() + "] holds what was re-published so far: delete it and"
                    + " import again", e);
        }
        deleteDir(d);
    }

    /** Deletes dangling index {@code uuid}'s files. 400 without {@code acceptDataLoss}; 404 for no such index. */
    public synchronized void delete(String uuid, boolean acceptDataLoss) {
        requireDataLossAccepted(acceptDataLoss, "delete");
        deleteDir(find(uuid));
    }

    private static void deleteDir(Dangling d) {
        try {
            IOUtils.rm(d.dir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Dangling find(String uuid) {
        return list().stream().filter(d -> d.uuid().equals(uuid)).findFirst()
                .orElseThrow(() -> NotFoundException.resource("No dangling index found for UUID [" + uuid + "]"));
    }

    private static void requireDataLossAccepted(boolean accepted, String action) {
        if (!accepted) {
            throw InvalidRequestException.illegalArgument("accept_data_loss must be set to true to " + action
                    + " a dangling index: its files may not hold the index's latest state");
        }
    }

    /** The shards of a dangling index, opened read-only as one reader. */
    private record ShardReaders(List<Directory> dirs, IndexReader reader) implements AutoCloseable {
        static ShardReaders open(Path indexDir, int shards) throws IOException {
            List<Directory> dirs = new ArrayList<>();
            List<IndexReader> readers = new ArrayList<>();
            try {
                for (int i = 0; i < shards; i++) {
                    Path shardDir = indexDir.resolve(Integer.toString(i));
                    if (!Files.isDirectory(shardDir)) {
                        continue;
                    }
                    Directory dir = FSDirectory.open(shardDir);
                    dirs.add(dir);
                    if (DirectoryReader.indexExists(dir)) {
                        readers.add(DirectoryReader.open(dir));
                    }
                }
                return new ShardReaders(dirs, new MultiReader(readers.toArray(IndexReader[]::new), true));
            } catch (IOException e) {
                IOUtils.closeWhileHandlingException(readers);
                IOUtils.closeWhileHandlingException(dirs);
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            IOUtils.close(reader);
            IOUtils.close(dirs);
        }
    }
}
