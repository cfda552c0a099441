package io.kccr.remote;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.node.NodeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's dynamic cluster settings, as Elasticsearch keeps them: three layers of flat dotted keys, each a
 * {@link DynamicSetting}, where a key's effective value is the first of
 * <ol>
 *   <li><b>transient</b> (set with {@code PUT /_cluster/settings}; lost on restart),</li>
 *   <li><b>persistent</b> (set with {@code PUT /_cluster/settings}; kept in {@value #FILE_NAME} under
 *       {@code path.data}, written crash-safe: temp file, fsync, atomic rename, directory fsync),</li>
 *   <li><b>node-level</b> (the node's {@code -E} / YAML settings; read-only here),</li>
 * </ol>
 * then the table's default ({@link #get(String)}).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Thread-safe. Readers get immutable snapshots; updates are serialized.</li>
 *   <li>{@link #update} validates everything first and applies all or nothing. A {@code null} value unsets a key
 *       in its layer; a {@code null} value for a key with {@code *} unsets every matching key of that layer
 *       ({@code "cluster.remote.leader.*": null}).</li>
 *   <li>Listeners ({@link #addListener}) run after every update that changed an effective value, on the updating
 *       thread, in order, while further updates wait: keep them quick or hand the work off.</li>
 *   <li>A persisted setting that is no longer valid when the node starts (a renamed or removed setting, a value
 *       the new version rejects) is kept as {@code archived.<key>}, as Elasticsearch does; it has no effect and is
 *       removed with {@code "archived.*": null}.</li>
 * </ul>
 */
public final class ClusterSettings {
    private static final Logger log = LoggerFactory.getLogger(ClusterSettings.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file under {@code path.data} holding the persistent settings. */
    public static final String FILE_NAME = "cluster_settings.json";

    /** Prefix of persisted settings that were no longer valid at start-up. */
    public static final String ARCHIVED_PREFIX = "archived.";

    /** The layers {@link #update} writes to, as named in requests and error messages. */
    public enum Scope {
        PERSISTENT, TRANSIENT;

        String label() {
            return this == PERSISTENT ? "persistent" : "transient";
        }
    }

    private record State(Map<String, String> persistent, Map<String, String> transient_, Map<String, String> effective) {
    }

    private final NodeSettings nodeSettings;
    private final Map<String, String> nodeLevel;
    private final Path file;
    private final Object updateLock = new Object();
    private final List<Consumer<ClusterSettingsChange>> listeners = new CopyOnWriteArrayList<>();
    private volatile State state;

    private ClusterSettings(NodeSettings nodeSettings, Path file, Map<String, String> persistent) {
        this.nodeSettings = Objects.requireNonNull(nodeSettings, "nodeSettings");
        Map<String, String> node = new TreeMap<>();
        nodeSettings.asMap().forEach((k, v) -> {
            if (DynamicSetting.isDynamic(k)) {
                node.put(k, v);
            }
        });
        this.nodeLevel = Collections.unmodifiableMap(node);
        this.file = file;
        this.state = state(persistent, Map.of());
    }

    /**
     * The cluster settings of a node whose {@code path.data} is {@code dataDir}: the node-level ones from
     * {@code nodeSettings}, the persistent ones from {@value #FILE_NAME} in {@code dataDir} (none when it does not
     * exist).
     *
     * @throws IllegalStateException when the file exists but is not a settings file (it is never half-written by
     *                               this class, so someone edited it): the message names it
     * @throws UncheckedIOException  when it cannot be read
     */
    public static ClusterSettings load(Path dataDir, NodeSettings nodeSettings) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.deleteIfExists(tmpFile(file)); // left over from a crash mid-write; the real file is intact
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete [" + tmpFile(file) + "]: " + e, e);
        }
        return new ClusterSettings(nodeSettings, file, readFile(file));
    }

    /** Cluster settings that are not persisted anywhere (persistent ones behave like transient ones): for tests. */
    public static ClusterSettings inMemory(NodeSettings nodeSettings) {
        return new ClusterSettings(nodeSettings, null, Map.of());
    }

    // ------------------------------------------------------------------------------------------ reading

    /** The node's start-up settings (all of them, static ones too). */
    public NodeSettings nodeSettings() {
        return nodeSettings;
    }

    /** The file the persistent settings are kept in; empty for {@link #inMemory}. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The dynamic settings given at start-up ({@code -E} / YAML), sorted, unmodifiable. */
    public Map<String, String> nodeLevel() {
        return nodeLevel;
    }

    /** The persistent settings (including {@code archived.*} ones), sorted, unmodifiable. */
    public Map<String, String> persistent() {
        return state.persistent();
    }

    /** The transient settings, sorted, unmodifiable. */
    public Map<String, String> transientSettings() {
        return state.transient_();
    }

    /**
     * The effective dynamic settings: node-level, overridden by persistent, overridden by transient; without
     * defaults and {@code archived.*} keys. Sorted, unmodifiable; a snapshot that later updates do not change.
     */
    public Map<String, String> current() {
        return state.effective();
    }

    /** The effective value of a dynamic setting key, else its default, else empty. */
    public Optional<String> get(String key) {
        String v = current().get(key);
        if (v != null) {
            return Optional.of(v);
        }
        try {
            return DynamicSetting.forKey(key).flatMap(DynamicSetting::defaultValue);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Object typed(DynamicSetting setting) {
        return setting.parse(setting.key(), get(setting.key()).orElseThrow());
    }

    /** {@code ccr.indices.recovery.max_bytes_per_sec} in bytes (0 = unlimited). */
    public long recoveryMaxBytesPerSec() {
        return (Long) typed(DynamicSetting.RECOVERY_MAX_BYTES_PER_SEC);
    }

    /** {@code ccr.indices.recovery.chunk_size} in bytes. */
    public long recoveryChunkSize() {
        return (Long) typed(DynamicSetting.RECOVERY_CHUNK_SIZE);
    }

    /** {@code ccr.indices.recovery.max_concurrent_file_chunks}, 1 to 10. */
    public int recoveryMaxConcurrentFileChunks() {
        return (Integer) typed(DynamicSetting.RECOVERY_MAX_CONCURRENT_FILE_CHUNKS);
    }

    /** Calls {@code listener} after every update that changes an effective value (see the class doc). */
    public void addListener(Consumer<ClusterSettingsChange> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Consumer<ClusterSettingsChange> listener) {
        listeners.remove(listener);
    }

    // ------------------------------------------------------------------------------------------ updating

    /**
     * Applies one {@code PUT /_cluster/settings}: flat keys per layer; a {@code null} value unsets (see the class
     * doc). All keys are validated before anything changes; persistent changes are on disk before this returns.
     *
     * @param persistentUpdates may be {@code null} or empty
     * @param transientUpdates  may be {@code null} or empty
     * @return the change (effective before and after), also passed to the listeners when something changed
     * @throws IllegalArgumentException in Elasticsearch's words: {@code persistent setting [x], not dynamically
     *                                  updateable} for a static node setting, {@code persistent setting [x], not
     *                                  recognized} for an unknown key, {@code failed to parse value [v] for setting
     *                                  [x]: expected ...} for a bad value, {@code Cannot configure setting [x] if
     *                                  remote cluster is not enabled.} for a remote setting without seeds, http or
     *                                  kafka.bootstrap.servers
     * @throws UncheckedIOException     when the persistent settings cannot be written (nothing changed then)
     */
    public ClusterSettingsChange update(Map<String, String> persistentUpdates, Map<String, String> transientUpdates) {
        Map<String, String> pUpdates = persistentUpdates == null ? Map.of() : persistentUpdates;
        Map<String, String> tUpdates = transientUpdates == null ? Map.of() : transientUpdates;
        pUpdates.forEach((k, v) -> checkUpdate(Scope.PERSISTENT, k, v));
        tUpdates.forEach((k, v) -> checkUpdate(Scope.TRANSIENT, k, v));
        synchronized (updateLock) {
            State before = state;
            State after = state(apply(before.persistent(), pUpdates), apply(before.transient_(), tUpdates));
            checkRemotesEnabled(before, after);
            if (file != null && !after.persistent().equals(before.persistent())) {
                writeFile(file, after.persistent());
            }
            state = after;
            ClusterSettingsChange change = new ClusterSettingsChange(before.effective(), after.effective());
            if (!change.changedKeys().isEmpty()) {
                for (Consumer<ClusterSettingsChange> l : listeners) {
                    try {
                        l.accept(change);
                    } catch (RuntimeException e) {
                        log.warn("cluster settings listener failed on change of {}", change.changedKeys(), e);
                    }
                }
            }
            return change;
        }
    }

    /** Throws unless {@code key = value} may be written to {@code scope}. */
    static void checkUpdate(Scope scope, String key, String value) {
        Objects.requireNonNull(key, "key");
        if (value == null && (key.indexOf('*') >= 0 || key.startsWith(ARCHIVED_PREFIX))) {
            return;
        }
        Optional<DynamicSetting> def = DynamicSetting.forKey(key); // throws on a malformed remote name
        if (def.isPresent()) {
            if (value != null) {
                def.get().parse(key, value);
            }
            return;
        }
        if (NodeSettings.isStaticSetting(key)) {
            throw new IllegalArgumentException(scope.label() + " setting [" + key + "], not dynamically updateable");
        }
        throw new IllegalArgumentException(scope.label() + " setting [" + key + "], not recognized");
    }

    private static Map<String, String> apply(Map<String, String> base, Map<String, String> updates) {
        Map<String, String> out = new TreeMap<>(base);
        for (Map.Entry<String, String> e : updates.entrySet()) {
            String key = e.getKey();
            if (e.getValue() != null) {
                out.put(key, e.getValue());
            } else if (key.indexOf('*') >= 0) {
                Pattern glob = glob(key);
                out.keySet().removeIf(k -> glob.matcher(k).matches());
            } else {
                out.remove(key);
            }
        }
        return out;
    }

    private static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!re.isEmpty()) {
                re.append(".*");
            }
            re.append(Pattern.quote(part));
        }
        return Pattern.compile(re.toString());
    }

    private State state(Map<String, String> persistent, Map<String, String> transient_) {
        Map<String, String> effective = new TreeMap<>(nodeLevel);
        persistent.forEach((k, v) -> {
            if (!k.startsWith(ARCHIVED_PREFIX)) {
                effective.put(k, v);
            }
        });
        effective.putAll(transient_);
        return new State(Collections.unmodifiableMap(new TreeMap<>(persistent)),
                Collections.unmodifiableMap(new TreeMap<>(transient_)), Collections.unmodifiableMap(effective));
    }

    /**
     * Elasticsearch's rule: a remote's other settings need the remote to be enabled (here: seeds, http or
     * kafka.bootstrap.servers set). Checked for the remotes this update changed, on the keys set through the API
     * (node-level ones, e.g. a TLS truststore given at start-up for a remote added later, are allowed alone).
     */
    private static void checkRemotesEnabled(State before, State after) {
        Set<String> touched = new ClusterSettingsChange(before.effective(), after.effective()).changedRemotes();
        for (String name : touched) {
            if (RemoteCluster.isEnabled(name, after.effective())) {
                continue;
            }
            Set<String> dynamicKeys = new TreeSet<>(after.persistent().keySet());
            dynamicKeys.addAll(after.transient_().keySet());
            for (String k : dynamicKeys) {
                if (DynamicSetting.remoteName(k).filter(name::equals).isPresent()) {
                    throw new IllegalArgumentException("Cannot configure setting [" + k
                            + "] if remote cluster is not enabled.");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ the file

    private static Path tmpFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    private static Map<String, String> readFile(Path file) {
        if (!Files.exists(file)) {
            return Map.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JacksonException e) {
            throw new IllegalStateException("cluster settings file [" + file + "] is not valid JSON ("
                    + e.getOriginalMessage() + "); fix it, or delete it to start without persistent cluster settings");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cluster settings file [" + file + "]: " + e, e);
        }
        JsonNode persistent = root == null ? null : root.get("persistent");
        if (persistent == null || !persistent.isObject()) {
            throw new IllegalStateException("cluster settings file [" + file + "] has no \"persistent\" object; fix it, "
                    + "or delete it to start without persistent cluster settings");
        }
        Map<String, String> out = new TreeMap<>();
        List<String> archived = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : persistent.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (!value.isTextual()) {
                throw new IllegalStateException("cluster settings file [" + file + "]: setting [" + key
                        + "] is not a string; fix it, or delete the file to start without persistent cluster settings");
            }
            if (key.startsWith(ARCHIVED_PREFIX)) {
                out.put(key, value.asText());
                continue;
            }
            try {
                checkUpdate(Scope.PERSISTENT, key, value.asText());
                out.put(key, value.asText());
            } catch (IllegalArgumentException invalid) {
                out.put(ARCHIVED_PREFIX + key, value.asText());
                archived.add(key + " (" + invalid.getMessage() + ")");
            }
        }
        if (!archived.isEmpty()) {
            log.warn("persistent cluster settings in [{}] that are no longer valid were archived (no effect; remove "
                    + "them with PUT /_cluster/settings {{\"persistent\":{{\"archived.*\":null}}}}): {}", file, archived);
        }
        return out;
    }

    private static void writeFile(Path file, Map<String, String> persistent) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ObjectNode settings = root.putObject("persistent");
        new TreeMap<>(persistent).forEach(settings::put);
        Path tmp = tmpFile(file);
        try {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ownerOnly(tmp); // remote Kafka credentials may be in here
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of [" + file + "] cannot rename atomically", e);
            }
            fsyncDirectory(file.getParent());
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the next write truncates it anyway
            }
            throw new UncheckedIOException("cannot write the persistent cluster settings to [" + file + "]: " + e
                    + "; nothing was changed", e);
        }
    }

    private static void ownerOnly(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: keep the default permissions
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some platforms (Windows) cannot open a directory; the rename itself is still atomic
        }
    }

    @Override
    public String toString() {
        Map<String, String> masked = new LinkedHashMap<>();
        current().forEach((k, v) -> masked.put(k, NodeSettings.isSecretKey(k) ? "****" : v));
        return "ClusterSettings" + masked;
    }
}
