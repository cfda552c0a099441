package io.kccr.node.settings;

import io.kccr.core.settings.Setting;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's dynamic cluster settings, as Elasticsearch keeps them: three layers of flat dotted keys, each a dynamic
 * setting ({@link ClusterScopeSettings}, {@link RemoteClusterSettings}), where a key's effective value is the first of
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
 *
 * <p>This class holds the layers and runs updates; {@link ClusterSettingsValidator} checks them,
 * {@link ClusterSettingsState} merges them and {@link ClusterSettingsFile} keeps the persistent layer.
 */
public final class ClusterSettings {
    private static final Logger log = LoggerFactory.getLogger(ClusterSettings.class);

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

    private final NodeSettings nodeSettings;
    private final Map<String, String> nodeLevel;
    private final ClusterSettingsFile file;
    private final Object updateLock = new Object();
    private final List<Consumer<ClusterSettingsChange>> listeners = new CopyOnWriteArrayList<>();
    private volatile ClusterSettingsState state;
    /** Per layer, the keys whose value was given as a list (its items joined with ','), shown as lists again. */
    private volatile Map<Scope, Set<String>> lists;
    /** In a cluster of nodes ({@link #joinCluster}): where the persistent settings are shared; else null. */
    private volatile ClusterSettingsLog cluster;

    private ClusterSettings(NodeSettings nodeSettings, ClusterSettingsFile file, ClusterSettingsFile.Stored stored) {
        Map<String, String> persistent = stored.settings();
        this.nodeSettings = Objects.requireNonNull(nodeSettings, "nodeSettings");
        Map<String, String> node = new TreeMap<>();
        nodeSettings.asMap().forEach((k, v) -> {
            if (KnownSettings.isDynamic(k)) {
                node.put(k, v);
            }
        });
        this.nodeLevel = Collections.unmodifiableMap(node);
        this.file = file;
        this.state = ClusterSettingsState.of(nodeLevel, persistent, Map.of());
        this.lists = Map.of(Scope.PERSISTENT, Set.copyOf(stored.lists()), Scope.TRANSIENT, Set.of());
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
        ClusterSettingsFile file = new ClusterSettingsFile(dataDir.resolve(FILE_NAME));
        file.deleteLeftoverTmp(); // left over from a crash mid-write; the real file is intact
        return new ClusterSettings(nodeSettings, file, file.read());
    }

    /** Cluster settings that are not persisted anywhere (persistent ones behave like transient ones): for tests. */
    public static ClusterSettings inMemory(NodeSettings nodeSettings) {
        return new ClusterSettings(nodeSettings, null, new ClusterSettingsFile.Stored(Map.of(), Set.of()));
    }

    // ------------------------------------------------------------------------------------------ reading

    /** The node's start-up settings (all of them, static ones too). */
    public NodeSettings nodeSettings() {
        return nodeSettings;
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
     * The keys of {@code scope} whose value was given as a list (held with its items joined by {@code ,}), which
     * Elasticsearch shows as a list again; every other value was given as a string.
     */
    public Set<String> lists(Scope scope) {
        return lists.get(scope);
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
            return KnownSettings.forKey(key).filter(Setting::isDynamic).flatMap(Setting::defaultValue);
        } catch (IllegalArgumentException malformedRemoteName) {
            return Optional.empty();
        }
    }

    /** {@code ccr.indices.recovery.max_bytes_per_sec} in bytes (0 = unlimited). */
    public long recoveryMaxBytesPerSec() {
        return ClusterScopeSettings.RECOVERY_MAX_BYTES_PER_SEC.get(current()).bytes();
    }

    /** {@code ccr.indices.recovery.chunk_size} in bytes. */
    public long recoveryChunkSize() {
        return ClusterScopeSettings.RECOVERY_CHUNK_SIZE.get(current()).bytes();
    }

    /** {@code ccr.indices.recovery.max_concurrent_file_chunks}, 1 to 10. */
    public int recoveryMaxConcurrentFileChunks() {
        return ClusterScopeSettings.RECOVERY_MAX_CONCURRENT_FILE_CHUNKS.get(current());
    }

    /** {@code ccr.indices.recovery.recovery_activity_timeout}: how long an idle restore session is kept. */
    public Duration recoveryActivityTimeout() {
        return ClusterScopeSettings.RECOVERY_ACTIVITY_TIMEOUT.get(current()).toDuration();
    }

    /** {@code ccr.recovery.max_sessions}: how many restore sessions a leader node keeps open at once. */
    public int recoveryMaxSessions() {
        return ClusterScopeSettings.RECOVERY_MAX_SESSIONS.get(current());
    }

    /** {@code search.max_buckets}. */
    public int searchMaxBuckets() {
        return ClusterScopeSettings.SEARCH_MAX_BUCKETS.get(current());
    }

    /** {@code search.max_open_scroll_context}. */
    public int searchMaxOpenScrollContext() {
        return ClusterScopeSettings.SEARCH_MAX_OPEN_SCROLL_CONTEXT.get(current());
    }

    /** {@code search.max_keep_alive}. */
    public Duration searchMaxKeepAlive() {
        return ClusterScopeSettings.SEARCH_MAX_KEEP_ALIVE.get(current()).toDuration();
    }

    /** {@code indices.breaker.request.limit} in bytes. */
    /** The disk watermarks, or null when {@code cluster.routing.allocation.disk.threshold_enabled} is false. */
    public Watermark.Thresholds diskWatermarks() {
        Map<String, String> now = current();
        if (!ClusterScopeSettings.DISK_THRESHOLD_ENABLED.get(now)) {
            return null;
        }
        return new Watermark.Thresholds(
                Watermark.parse(ClusterScopeSettings.DISK_WATERMARK_HIGH.get(now),
                        ClusterScopeSettings.DISK_WATERMARK_HIGH.key()),
                Watermark.parse(ClusterScopeSettings.DISK_WATERMARK_FLOOD_STAGE.get(now),
                        ClusterScopeSettings.DISK_WATERMARK_FLOOD_STAGE.key()));
    }

    /** {@code cluster.info.update.interval}: how often the disk usage is checked. */
    public Duration clusterInfoUpdateInterval() {
        return ClusterScopeSettings.CLUSTER_INFO_UPDATE_INTERVAL.get(current()).toDuration();
    }

    public long breakerRequestLimit() {
        return ClusterScopeSettings.BREAKER_REQUEST_LIMIT.get(current());
    }

    /** Calls {@code listener} after every update that changes an effective value (see the class doc). */
    public void addListener(Consumer<ClusterSettingsChange> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    // ------------------------------------------------------------------------------------------ updating

    /**
     * Applies one {@code PUT /_cluster/settings}: flat keys per layer; a {@code null} value unsets (see the class
     * doc). All keys are validated before anything changes; persistent changes are on disk before this returns. In a
     * cluster of nodes ({@link #joinCluster}) each persistent key is recorded in the cluster's topic and applied as
     * this node reads it back, as every node does; when Kafka does not take one in time, a 503 says so, and the keys
     * recorded before it stay applied.
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
        return update(persistentUpdates, Set.of(), transientUpdates, Set.of());
    }

    /**
     * {@link #update(Map, Map)}, where the keys in {@code persistentLists} and {@code transientLists} were given as
     * lists (their values the items joined with {@code ,}) and are shown as lists ({@link #lists}).
     */
    public ClusterSettingsChange update(Map<String, String> persistentUpdates, Set<String> persistentLists,
                                        Map<String, String> transientUpdates, Set<String> transientLists) {
        ClusterSettingsLog shared = cluster;
        if (shared == null) {
            return apply(persistentUpdates, persistentLists, transientUpdates, transientLists, true);
        }
        Map<String, String> pUpdates = persistentUpdates == null ? Map.of() : persistentUpdates;
        Map<String, String> tUpdates = transientUpdates == null ? Map.of() : transientUpdates;
        ClusterSettingsValidator.checkUpdates(pUpdates, tUpdates);
        ClusterSettingsState before;
        Map<String, ClusterSettingsLog.Value> recorded = new TreeMap<>();
        synchronized (updateLock) {
            before = state;
            ClusterSettingsState after = before.withUpdates(nodeLevel, pUpdates, tUpdates);
            ClusterSettingsValidator.checkRemotesEnabled(before, after);
            pUpdates.forEach((key, value) -> {
                if (value != null) {
                    recorded.put(key, new ClusterSettingsLog.Value(value, persistentLists.contains(key)));
                }
            });
            before.persistent().keySet().stream().filter(key -> !after.persistent().containsKey(key))
                    .forEach(key -> recorded.put(key, null)); // unset, wildcards expanded
        }
        Map<String, String> archived = new TreeMap<>(); // this node's own: what it could not read at start-up
        pUpdates.forEach((key, value) -> {
            if (key.startsWith(ARCHIVED_PREFIX)) {
                archived.put(key, value);
            }
        });
        recorded.keySet().removeIf(key -> key.startsWith(ARCHIVED_PREFIX));
        // each is applied here as this node reads it back, as on every other node
        recorded.forEach(shared::record);
        apply(archived, Set.of(), tUpdates, transientLists, true);
        return new ClusterSettingsChange(before.effective(), state.effective());
    }

    /**
     * In a cluster of nodes, waits until this node applied every persistent setting recorded through any node before
     * the call, so that a read after it ({@code GET /_cluster/settings}) shows a change made through another node just
     * before; nothing on a node alone.
     */
    public void catchUp() {
        ClusterSettingsLog shared = cluster;
        if (shared != null) {
            shared.catchUp();
        }
    }

    /**
     * Makes the persistent settings the cluster's (a node of a cluster, before it starts serving): kept in the
     * cluster's topic {@code topic} ({@link ClusterSettingsLog}), read to its end now, so this node takes the
     * cluster's; an update through any node is recorded there and applied by every node as it reads it. The persistent
     * settings of this node's file the topic has no record of (set before the node joined a cluster) are recorded.
     * Transient settings stay the node's own.
     */
    public void joinCluster(String topic, Map<String, Object> clientProperties, Duration timeout) throws Exception {
        ClusterSettingsLog shared = new ClusterSettingsLog(topic, clientProperties, timeout, this::applyRecorded);
        shared.start();
        Set<String> persistentLists = lists.get(Scope.PERSISTENT);
        state.persistent().forEach((key, value) -> {
            if (!shared.seen(key) && !key.startsWith(ARCHIVED_PREFIX)) {
                shared.record(key, new ClusterSettingsLog.Value(value, persistentLists.contains(key)));
            }
        });
        cluster = shared;
    }

    /** A persistent setting read from the cluster's topic: applied as an update of this node's (null: unset). */
    private void applyRecorded(String key, ClusterSettingsLog.Value value) {
        try {
            apply(Collections.singletonMap(key, value == null ? null : value.value()),
                    value != null && value.list() ? Set.of(key) : Set.of(), Map.of(), Set.of(), false);
        } catch (RuntimeException e) {
            log.warn("could not apply cluster setting [{}] read from the cluster's topic on this node: {}", key,
                    e.getMessage());
        }
    }

    /** Stops reading the cluster's settings (the node stops). */
    public void leaveCluster() {
        ClusterSettingsLog shared = cluster;
        if (shared != null) {
            shared.close();
        }
    }

    /**
     * {@link #update} on this node alone; without {@code checkRemotes}, a remote cluster's setting is taken even while
     * its remote is not enabled (a key of an update checked as a whole where it was made, read from the cluster's topic
     * one key at a time).
     */
    private ClusterSettingsChange apply(Map<String, String> persistentUpdates, Set<String> persistentLists,
                                        Map<String, String> transientUpdates, Set<String> transientLists,
                                        boolean checkRemotes) {
        Map<String, String> pUpdates = persistentUpdates == null ? Map.of() : persistentUpdates;
        Map<String, String> tUpdates = transientUpdates == null ? Map.of() : transientUpdates;
        ClusterSettingsValidator.checkUpdates(pUpdates, tUpdates);
        synchronized (updateLock) {
            ClusterSettingsState before = state;
            ClusterSettingsState after = before.withUpdates(nodeLevel, pUpdates, tUpdates);
            if (checkRemotes) {
                ClusterSettingsValidator.checkRemotesEnabled(before, after);
            }
            Set<String> pLists = ClusterSettingsState.shapes(lists.get(Scope.PERSISTENT), pUpdates, persistentLists, after.persistent());
            Set<String> tLists = ClusterSettingsState.shapes(lists.get(Scope.TRANSIENT), tUpdates, transientLists, after.transient_());
            if (file != null && (!after.persistent().equals(before.persistent())
                    || !pLists.equals(lists.get(Scope.PERSISTENT)))) {
                file.write(after.persistent(), pLists);
            }
            state = after;
            lists = Map.of(Scope.PERSISTENT, pLists, Scope.TRANSIENT, tLists);
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

    @Override
    public String toString() {
        Map<String, String> masked = new LinkedHashMap<>();
        current().forEach((k, v) -> masked.put(k, NodeSettings.isSecretKey(k) ? "****" : v));
        return "ClusterSettings" + masked;
    }
}
