package io.kccr.node.indices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.error.IndexClosedException;
import io.kccr.core.io.StateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which indices are closed ({@code POST /<index>/_close}): a closed index answers neither reads nor writes until
 * {@code _open}, as in Elasticsearch, where closing is a step of the follower runbook (pause, close, unfollow,
 * open). The set is kept in {@value #FILE_NAME} under {@code path.data} (written with {@link StateFile}), so a
 * closed index stays closed across a restart; deleting an index forgets it ({@link #forget}), so an index created
 * again under its name starts open.
 *
 * <p>Thread-safe: changes are serialized and on disk before they return.
 */
public final class ClosedIndices {
    /** The file under {@code path.data} that holds the closed indices. */
    public static final String FILE_NAME = "closed_indices.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private volatile Set<String> closed;

    /** The closed indices kept in {@code dataPath}, none when there is no file yet; null {@code dataPath}: memory only. */
    public ClosedIndices(Path dataPath) {
        this.file = dataPath == null ? null : dataPath.resolve(FILE_NAME);
        this.closed = Set.copyOf(read(file));
    }

    /** Closes {@code index}; false when it was closed already (nothing changed). */
    public synchronized boolean close(String index) {
        if (closed.contains(index)) {
            return false;
        }
        Set<String> next = new TreeSet<>(closed);
        next.add(index);
        save(next);
        return true;
    }

    /** Opens {@code index}; false when it was open already. */
    public synchronized boolean open(String index) {
        if (!closed.contains(index)) {
            return false;
        }
        Set<String> next = new TreeSet<>(closed);
        next.remove(index);
        save(next);
        return true;
    }

    /** Forgets {@code index}, which was deleted: an index created again under its name is open. */
    public void forget(String index) {
        open(index);
    }

    public boolean isClosed(String index) {
        return closed.contains(index);
    }

    /** Throws Elasticsearch's 400 {@code index_closed_exception} if {@code index} is closed. */
    public void ensureOpen(String index) {
        if (closed.contains(index)) {
            throw new IndexClosedException(index, "_na_");
        }
    }

    private void save(Set<String> next) {
        if (file != null) {
            ObjectNode root = JSON.createObjectNode();
            root.put("version", 1);
            next.forEach(root.putArray("closed")::add);
            try {
                StateFile.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the closed indices to [" + file + "]: " + e
                        + "; nothing was changed", e);
            }
        }
        closed = Set.copyOf(next);
    }

    private static Set<String> read(Path file) {
        Set<String> out = new TreeSet<>();
        if (file == null || !Files.exists(file)) {
            return out;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            JsonNode list = root == null ? null : root.get("closed");
            if (list == null || !list.isArray()) {
                throw new IllegalStateException("[" + file + "] has no \"closed\" list; fix it, or delete it to open"
                        + " every index");
            }
            list.forEach(n -> out.add(n.asText()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read [" + file + "]: " + e + "; fix it, or delete it to open every"
                    + " index", e);
        }
    }
}
