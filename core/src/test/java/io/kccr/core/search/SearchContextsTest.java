package io.kccr.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.RejectedException;
import io.kccr.core.shard.LuceneShard;
import io.kccr.core.shard.PinnedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keep-alive expiry on a controlled clock, the scroll limit, and that closing a context releases its readers. */
class SearchContextsTest {
    @TempDir
    Path dir;

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void contextsExpireAfterTheirKeepAliveAndEachUseExtendsIt() throws IOException {
        MovableClock clock = new MovableClock();
        try (LuceneShard shard = new LuceneShard(0, dir.resolve("s0"), "h");
             SearchContexts contexts = new SearchContexts(clock, () -> 2, () -> Duration.ofHours(24))) {
            PinnedReader reader = PinnedReader.pin(List.of(shard));
            SearchContexts.Context pit = contexts.open(SearchContexts.Kind.PIT, "i", reader, Duration.ofMinutes(1));
            clock.advance(Duration.ofSeconds(50));
            contexts.use(pit.id(), SearchContexts.Kind.PIT, null); // extends by another minute
            clock.advance(Duration.ofSeconds(50));
            contexts.reap();
            assertThat(contexts.count(SearchContexts.Kind.PIT)).isEqualTo(1);
            clock.advance(Duration.ofSeconds(11));
            contexts.reap();
            assertThat(contexts.count(SearchContexts.Kind.PIT)).isZero();
            assertThatThrownBy(() -> contexts.use(pit.id(), SearchContexts.Kind.PIT, null))
                    .isInstanceOfSatisfying(NotFoundException.class,
                            e -> assertThat(e.type()).isEqualTo("search_context_missing_exception"));
            // the pinned reader was released: the shard's reader is not held any more
            org.apache.lucene.search.IndexSearcher s = shard.acquireSearcher();
            try {
                assertThat(s.getIndexReader().getRefCount()).isEqualTo(2); // the manager's and ours
            } finally {
                shard.releaseSearcher(s);
            }
        }
    }

    @Test
    void scrollsPastTheLimitAreRefusedAndClosedOnesFreeTheirPlace() throws IOException {
        MovableClock clock = new MovableClock();
        try (LuceneShard shard = new LuceneShard(0, dir.resolve("s1"), "h");
             SearchContexts contexts = new SearchContexts(clock, () -> 2, () -> Duration.ofHours(1))) {
            SearchContexts.Context a = contexts.open(SearchContexts.Kind.SCROLL, "i", PinnedReader.pin(List.of(shard)),
                    Duration.ofMinutes(1));
            contexts.open(SearchContexts.Kind.SCROLL, "i", PinnedReader.pin(List.of(shard)), Duration.ofMinutes(1));
            contexts.open(SearchContexts.Kind.PIT, "i", PinnedReader.pin(List.of(shard)), Duration.ofMinutes(1));
            assertThatThrownBy(() -> contexts.open(SearchContexts.Kind.SCROLL, "i", PinnedReader.pin(List.of(shard)),
                    Duration.ofMinutes(1))).isInstanceOfSatisfying(RejectedException.class,
                    e -> assertThat(e.type()).isEqualTo("too_many_scroll_contexts_exception"));
            assertThat(contexts.close(a.id(), SearchContexts.Kind.SCROLL)).isTrue();
            assertThat(contexts.close(a.id(), SearchContexts.Kind.SCROLL)).isFalse();
            contexts.open(SearchContexts.Kind.SCROLL, "i", PinnedReader.pin(List.of(shard)), Duration.ofMinutes(1));
            assertThatThrownBy(() -> contexts.open(SearchContexts.Kind.PIT, "i", PinnedReader.pin(List.of(shard)),
                    Duration.ofHours(2))).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("search.max_keep_alive");
            assertThat(contexts.closeAll(SearchContexts.Kind.SCROLL)).isEqualTo(2);
        }
    }

    @Test
    void aContextFreedCountsTheShardsItPinned() throws IOException {
        try (LuceneShard s0 = new LuceneShard(0, dir.resolve("f0"), "h");
             LuceneShard s1 = new LuceneShard(1, dir.resolve("f1"), "h");
             SearchContexts contexts = new SearchContexts(new MovableClock(), () -> 5, () -> Duration.ofHours(1))) {
            SearchContexts.Context both = contexts.open(SearchContexts.Kind.SCROLL, "i",
                    PinnedReader.pin(List.of(s0, s1)), Duration.ofMinutes(1));
            contexts.open(SearchContexts.Kind.SCROLL, "i", PinnedReader.pin(List.of(s1)), Duration.ofMinutes(1));
            assertThat(contexts.kindOf(both.id())).contains(SearchContexts.Kind.SCROLL);
            assertThat(contexts.free(both.id(), SearchContexts.Kind.PIT)).as("not a point in time").isZero();
            assertThat(contexts.free(both.id(), SearchContexts.Kind.SCROLL)).as("Elasticsearch's num_freed")
                    .isEqualTo(2);
            assertThat(contexts.kindOf(both.id())).isEmpty();
            assertThat(contexts.free(both.id(), SearchContexts.Kind.SCROLL)).isZero();
            assertThat(contexts.closeAll(SearchContexts.Kind.SCROLL)).isEqualTo(1);
        }
    }
}
