package io.kccr.core.search;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.RejectedException;
import io.kccr.core.shard.PinnedReader;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The node's open search contexts: points in time ({@code _pit}) and scrolls, each a {@link PinnedReader} kept
 * for its keep-alive, which every use extends. Expired contexts are closed by {@link #reap} (the node calls it
 * every second) or when next asked for. At most {@code search.max_open_scroll_context} scrolls are open at once;
 * one more is refused with 429. Time comes from the {@link Clock} given, so tests control expiry. Thread-safe.
 */
public final class SearchContexts implements AutoCloseable {

    /** What a context is for. */
    public enum Kind { PIT, SCROLL }

    /**
     * One open context. Its scroll state is guarded by the context itself: a scroll's pages are served one at a
     * time.
     */
    public static final class Context {
        private final String id;
        private final Kind kind;
        private final String index;
        private final PinnedReader reader;
        private volatile Duration keepAlive;
        private volatile long lastAccessMillis;
        private SearchRequest scrollRequest;
        private List<JsonNode> scrollAfter;
        private boolean userSorted;

        private Context(String id, Kind kind, String index, PinnedReader reader, Duration keepAlive, long now) {
            this.id = id;
            this.kind = kind;
            this.index = index;
            this.reader = reader;
            this.keepAlive = keepAlive;
            this.lastAccessMillis = now;
        }

        public String id() {
            return id;
        }

        public Kind kind() {
            return kind;
        }

        /** The name of the index the context reads. */
        public String index() {
            return index;
        }

        public PinnedReader reader() {
            return reader;
        }

        /** A scroll's request for its next page (search_after the last hit), null before the first page. */
        public synchronized SearchRequest scrollRequest() {
            return scrollRequest;
        }

        public synchronized boolean userSorted() {
            return userSorted;
        }

        /** Records where the scroll stands after a page: the request and the last hit's sort values. */
        public synchronized void scrolled(SearchRequest request, List<JsonNode> after, boolean sorted) {
            this.scrollRequest = request;
            this.scrollAfter = after;
            this.userSorted = sorted;
        }

        public synchronized List<JsonNode> scrollAfter() {
            return scrollAfter;
        }

        boolean expired(long now) {
            return now - lastAccessMillis > keepAlive.toMillis();
        }
    }

    private final Clock clock;
    private final IntSupplier maxScrolls;
    private final Supplier<Duration> maxKeepAlive;
    private final Map<String, Context> contexts = new ConcurrentHashMap<>();

    /**
     * @param maxScrolls   {@code search.max_open_scroll_context}
     * @param maxKeepAlive {@code search.max_keep_alive}
     */
    public SearchContexts(Clock clock, IntSupplier maxScrolls, Supplier<Duration> maxKeepAlive) {
        this.clock = clock;
        this.maxScrolls = maxScrolls;
        this.maxKeepAlive = maxKeepAlive;
    }

    /**
     * Opens a context over {@code reader} (which it then owns and closes).
     *
     * @throws RejectedException        {@code too_many_scroll_contexts_exception} for one scroll too many
     * @throws InvalidRequestException  for a keep-alive over {@code search.max_keep_alive}
     */
    public Context open(Kind kind, String index, PinnedReader reader, Duration keepAlive) {
        try {
            checkKeepAlive(keepAlive);
            if (kind == Kind.SCROLL) {
                synchronized (this) {
                    reap();
                    int max = maxScrolls.getAsInt();
                    if (count(Kind.SCROLL) >= max) {
                        throw RejectedException.tooManyScrollContexts(max);
                    }
                    return put(kind, index, reader, keepAlive);
                }
            }
            return put(kind, index, reader, keepAlive);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private Context put(Kind kind, String index, PinnedReader reader, Duration keepAlive) {
        String raw = (kind == Kind.PIT ? "pit:" : "scroll:") + UUID.randomUUID();
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        Context c = new Context(id, kind, index, reader, keepAlive, clock.millis());
        contexts.put(id, c);
        return c;
    }

    /** Refuses a keep-alive longer than {@code search.max_keep_alive}, as Elasticsearch does. */
    public void checkKeepAlive(Duration keepAlive) {
        Duration max = maxKeepAlive.get();
        if (keepAlive.compareTo(max) > 0) {
            throw InvalidRequestException.illegalArgument("Keep alive for request (" + keepAlive.toMillis() + "ms) is"
                    + " too large. It must be less than (" + max.toMillis() + "ms). This limit can be set by changing"
                    + " the [search.max_keep_alive] cluster level setting.");
        }
    }

    /**
     * The open context {@code id} of {@code kind}, its keep-alive restarted (and replaced when {@code keepAlive} is
     * given).
     *
     * @throws NotFoundException {@code search_context_missing_exception} when it expired, was closed or never was
     */
    public Context use(String id, Kind kind, Duration keepAlive) {
        Context c = contexts.get(id);
        long now = clock.millis();
        if (c != null && c.expired(now)) {
            remove(id);
            c = null;
        }
        if (c == null || c.kind != kind) {
            throw NotFoundException.searchContext(id);
        }
        if (keepAlive != null) {
            checkKeepAlive(keepAlive);
            c.keepAlive = keepAlive;
        }
        c.lastAccessMillis = now;
        return c;
    }

    /**
     * The index open context {@code id} of {@code kind} searches, without using it (its keep-alive unchanged), so that
     * a caller may be authorized before it is used; empty when no such context is open.
     */
    public java.util.Optional<String> indexOf(String id, Kind kind) {
        Context c = contexts.get(id);
        return c == null || c.kind != kind || c.expired(clock.millis()) ? java.util.Optional.empty()
                : java.util.Optional.of(c.index);
    }

    /** Closes {@code id}; false when no such context of {@code kind} is open. */
    public boolean close(String id, Kind kind) {
        return free(id, kind) > 0;
    }

    /**
     * Closes {@code id}; returns how many shards it pinned (Elasticsearch counts {@code num_freed} per shard), 0 when
     * no such context of {@code kind} is open.
     */
    public int free(String id, Kind kind) {
        Context c = contexts.get(id);
        if (c == null || c.kind != kind) {
            return 0;
        }
        return remove(id) ? c.reader.shardCount() : 0;
    }

    /** Closes every context of {@code kind}; returns how many shards they pinned. */
    public int closeAll(Kind kind) {
        int n = 0;
        for (Context c : new ArrayList<>(contexts.values())) {
            if (c.kind == kind && remove(c.id)) {
                n += c.reader.shardCount();
            }
        }
        return n;
    }

    /** The kind of open context {@code id}; empty when none is open under that id. */
    public java.util.Optional<Kind> kindOf(String id) {
        Context c = contexts.get(id);
        return c == null ? java.util.Optional.empty() : java.util.Optional.of(c.kind);
    }

    private boolean remove(String id) {
        Context c = contexts.remove(id);
        if (c == null) {
            return false;
        }
        c.reader.close();
        return true;
    }

    /** Closes every context whose keep-alive passed since its last use. */
    public void reap() {
        long now = clock.millis();
        for (Context c : new ArrayList<>(contexts.values())) {
            if (c.expired(now)) {
                remove(c.id);
            }
        }
    }

    /** {@code search.max_open_scroll_context} as it is now. */
    public int maxOpenScrolls() {
        return maxScrolls.getAsInt();
    }

    /** Open contexts of {@code kind}. */
    public int count(Kind kind) {
        return (int) contexts.values().stream().filter(c -> c.kind == kind).count();
    }

    /** Parses a keep-alive ({@code 1m}, {@code 30s}); a bad one is a 400. */
    public static Duration keepAlive(String value, String what) {
        long millis = SearchExtras.timeMillis(value, what);
        if (millis <= 0) {
            throw InvalidRequestException.illegalArgument("[" + what + "] must be a positive time value, got [" + value
                    + "]");
        }
        return Duration.ofMillis(millis);
    }

    @Override
    public void close() {
        for (String id : new ArrayList<>(contexts.keySet())) {
            remove(id);
        }
    }
}
