package io.kccr.follower.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.kccr.core.recovery.ShardSnapshot;
import io.kccr.core.recovery.StoreFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.RateLimiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ShardCopier} against an in-memory leader: what ends up in the follower's directory, and in which order. */
class ShardCopierTest {
    private static final int CHUNK = 4 << 10;
    private static final RecoverySettings SETTINGS = new RecoverySettings(CHUNK, 3, 0);
    private static final int DOCS = 180;

    @TempDir
    Path tmp;

    private InMemoryRestoreSource leader;
    private ShardSnapshot snapshot;
    private Path dir;
    private final FileInstaller installer = new FileInstaller("test");

    @AfterEach
    void stopInstaller() throws InterruptedException {
        installer.close();
    }

    @BeforeEach
    void leaderWithThreeSegments() throws IOException {
        leader = new InMemoryRestoreSource("leader", List.of(LeaderCommits.write(tmp.resolve("leader"), 3, DOCS / 3,
                1)));
        snapshot = leader.snapshot(0);
        dir = tmp.resolve("follower");
        assertThat(snapshot.files()).as("a commit of several files, some of several chunks").hasSizeGreaterThan(4)
                .anyMatch(f -> f.length() > 3 * CHUNK);
    }

    private ShardCopier copier(ShardRecoveryState state) {
        return copier(state, () -> SETTINGS, new RateLimiter.SimpleRateLimiter(0));
    }

    private ShardCopier copier(ShardRecoveryState state, java.util.function.Supplier<RecoverySettings> settings,
                               RateLimiter limiter) {
        return new ShardCopier(leader, leader.openSession(), snapshot, dir, settings, limiter, state, Clock.systemUTC(),
                installer);
    }

    @Test
    void copiesThePinnedCommitSoThatLuceneOpensExactlyIt() throws Exception {
        ShardRecoveryState state = new ShardRecoveryState(0);
        copier(state).copy();

        assertThat(names(dir)).containsExactlyInAnyOrderElementsOf(names(snapshot.files()));
        for (StoreFile file : snapshot.files()) {
            assertThat(Files.readAllBytes(dir.resolve(file.name()))).as(file.name())
                    .isEqualTo(leader.bytes(0, file.name()));
        }
        try (FSDirectory copy = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(copy)) {
            assertThat(reader.numDocs()).isEqualTo(DOCS);
            assertThat(reader.getIndexCommit().getUserData()).isEqualTo(snapshot.userData());
            assertThat(reader.getIndexCommit().getGeneration()).isEqualTo(snapshot.generation());
        }
        assertThat(state.stage()).isEqualTo(ShardRecoveryState.Stage.DONE);
        assertThat(state.filesRecovered()).isEqualTo(snapshot.files().size());
        assertThat(state.bytesRecovered()).isEqualTo(snapshot.totalBytes());
        assertThat(state.bytesFetched()).as("each byte fetched once").isEqualTo(snapshot.totalBytes());
        assertThat(state.filesReused()).isZero();
        assertThat(state.bytesPercent()).isEqualTo(100.0);
        assertThat(state.stopMillis()).isGreaterThanOrEqualTo(state.startMillis()).isPositive();
    }

    @Test
    void deletesStaleCommitPointsFirstAndInstallsSegmentsNLastAfterEveryOtherFile() throws Exception {
        // a commit of another index in the directory, whose files partly share the leader's names; a manifest
        // that lists the commit point first
        LeaderCommits.write(dir, 1, 5, 99);
        Set<String> stale = names(dir);
        assertThat(stale).anyMatch(n -> n.startsWith("segments_")).anyMatch(snapshot.files().stream()
                .map(StoreFile::name).collect(Collectors.toSet())::contains);
        String commitPoint = snapshot.segmentsFile().name();
        List<StoreFile> commitPointFirst = new ArrayList<>(snapshot.files());
        commitPointFirst.sort(java.util.Comparator.comparing((StoreFile f) -> !f.name().equals(commitPoint)));
        snapshot = new ShardSnapshot(0, snapshot.generation(), commitPointFirst, snapshot.userData());
        Set<String> others = names(snapshot.files());
        others.remove(commitPoint);
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        leader.onRead(read -> {
            Set<String> present = names(dir);
            if (!read.file().equals(commitPoint) && present.stream().anyMatch(n -> n.startsWith("segments_"))) {
                violations.add("a commit point is in the directory while [" + read.file() + "] is fetched: " + present);
            }
            if (read.file().equals(commitPoint) && (!present.containsAll(others) || present.stream()
                    .anyMatch(n -> n.startsWith(ShardCopier.PART_PREFIX) && !n.endsWith(commitPoint)))) {
                violations.add(commitPoint + " is fetched before every other file is installed: " + present);
            }
        });

        copier(new ShardRecoveryState(0)).copy();

        assertThat(violations).isEmpty();
        List<InMemoryRestoreSource.Read> reads = leader.reads();
        int firstCommitPointRead = indexOf(reads, commitPoint);
        assertThat(reads.subList(firstCommitPointRead, reads.size())).allMatch(r -> r.file().equals(commitPoint));
        Set<String> left = names(dir);
        left.remove("write.lock"); // Lucene's lock file, which a writer of the directory may hold, stays
        assertThat(left).as("the other index's files are gone").containsExactlyInAnyOrderElementsOf(
                names(snapshot.files()));
        try (FSDirectory copy = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(copy)) {
            assertThat(reader.numDocs()).isEqualTo(DOCS);
        }
    }

    @Test
    void resumesAfterAFailedAttemptKeepingTheFilesItVerified() throws Exception {
        List<StoreFile> files = snapshot.files();
        String failingFile = files.get(files.size() / 2).name();
        leader.failing(read -> read.file().equals(failingFile));
        ShardRecoveryState first = new ShardRecoveryState(0);
        assertThatThrownBy(() -> copier(first).copy()).isInstanceOf(IOException.class)
                .hasMessageContaining(failingFile);

        Set<String> kept = names(dir);
        assertThat(kept).as("files verified before the failure").isNotEmpty()
                .noneMatch(n -> n.startsWith("segments_")).noneMatch(n -> n.startsWith(ShardCopier.PART_PREFIX))
                .doesNotContain(failingFile);
        try (FSDirectory partial = FSDirectory.open(dir)) {
            assertThat(DirectoryReader.indexExists(partial)).as("no commit to open yet").isFalse();
        }
        Files.write(dir.resolve(ShardCopier.PART_PREFIX + failingFile), new byte[] {1, 2, 3}); // a crash's leftover

        leader.failing(read -> false);
        int readsBefore = leader.reads().size();
        ShardRecoveryState second = new ShardRecoveryState(0);
        copier(second).copy();

        Set<String> fetchedAgain = leader.reads().subList(readsBefore, leader.reads().size()).stream()
                .map(InMemoryRestoreSource.Read::file).collect(Collectors.toSet());
        assertThat(fetchedAgain).as("only what the first attempt did not verify").doesNotContainAnyElementsOf(kept)
                .contains(failingFile);
        assertThat(second.filesReused()).isEqualTo(kept.size());
        assertThat(second.filesReused() + second.filesRecovered()).isEqualTo(files.size());
        assertThat(second.bytesReused() + second.bytesRecovered()).isEqualTo(snapshot.totalBytes());
        assertThat(names(dir)).containsExactlyInAnyOrderElementsOf(names(files));
        try (FSDirectory copy = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(copy)) {
            assertThat(reader.numDocs()).isEqualTo(DOCS);
        }
    }

    @Test
    void aPresentFileIsKeptOnlyWithTheManifestsLengthAndChecksum() throws Exception {
        List<StoreFile> large = snapshot.files().stream().filter(f -> f.length() > CHUNK).toList();
        StoreFile same = large.get(0);
        StoreFile otherChecksum = large.get(1);
        StoreFile shorter = large.get(2);
        Files.createDirectories(dir);
        Files.write(dir.resolve(same.name()), leader.bytes(0, same.name()));
        byte[] changed = leader.bytes(0, otherChecksum.name());
        changed[changed.length - 1] ^= 1; // the footer's checksum differs from the manifest's
        Files.write(dir.resolve(otherChecksum.name()), changed);
        byte[] truncated = leader.bytes(0, shorter.name());
        Files.write(dir.resolve(shorter.name()), java.util.Arrays.copyOf(truncated, truncated.length - 1));
        ShardRecoveryState state = new ShardRecoveryState(0);

        copier(state).copy();

        assertThat(leader.filesRead(0)).doesNotContain(same.name()).contains(otherChecksum.name(), shorter.name());
        assertThat(state.filesReused()).isEqualTo(1);
        assertThat(state.bytesReused()).isEqualTo(same.length());
        for (StoreFile file : List.of(same, otherChecksum, shorter)) {
            assertThat(Files.readAllBytes(dir.resolve(file.name()))).isEqualTo(leader.bytes(0, file.name()));
        }
    }

    @Test
    void aChunkCorruptedInTransitIsCaughtAndItsFileFetchedAgain() throws Exception {
        StoreFile victim = snapshot.files().stream().filter(f -> f.length() > 3 * CHUNK).findFirst().orElseThrow();
        leader.corrupt(victim.name(), 1);
        ShardRecoveryState state = new ShardRecoveryState(0);

        copier(state).copy();

        assertThat(Files.readAllBytes(dir.resolve(victim.name()))).isEqualTo(leader.bytes(0, victim.name()));
        assertThat(state.bytesFetched()).as("the corrupted file twice, the others once")
                .isEqualTo(snapshot.totalBytes() + victim.length());
        assertThat(state.filesRecovered()).isEqualTo(snapshot.files().size());
    }

    @Test
    void aFileCorruptedOnEveryAttemptFailsTheCopyAndNothingOfItIsInstalled() throws Exception {
        StoreFile victim = snapshot.files().stream().filter(f -> f.length() > CHUNK).findFirst().orElseThrow();
        leader.corrupt(victim.name(), Integer.MAX_VALUE);

        assertThatThrownBy(() -> copier(new ShardRecoveryState(0)).copy()).isInstanceOf(IOException.class)
                .hasMessageContaining("[" + victim.name() + "] does not match its checksum")
                .hasMessageContaining("(3 attempts)");

        assertThat(leader.reads().stream().filter(r -> r.file().equals(victim.name()) && r.from() == 0))
                .as("three attempts").hasSize(3);
        assertThat(names(dir)).doesNotContain(victim.name(), ShardCopier.PART_PREFIX + victim.name())
                .noneMatch(n -> n.startsWith("segments_"));
    }

    @Test
    void aChunkThatArrivesShortFailsTheCopyAndLeavesNoPartialFile() {
        StoreFile victim = snapshot.files().stream().filter(f -> f.length() > 3 * CHUNK).findFirst().orElseThrow();
        RestoreSource shortening = new RestoreSource() {
            @Override
            public io.kccr.core.recovery.RestoreManifest open(String index) {
                return leader.open(index);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> read(String session, int shard, String file, long from,
                                                                     int length, ChunkSink sink) {
                long end = from + length;
                return leader.read(session, shard, file, from, length, bytes -> {
                    if (file.equals(victim.name()) && end == victim.length() && bytes.remaining() > 0) {
                        bytes.limit(bytes.limit() - 1); // the connection ends one byte early
                    }
                    sink.accept(bytes);
                });
            }

            @Override
            public void release(String session) {
                leader.release(session);
            }
        };
        ShardCopier copier = new ShardCopier(shortening, leader.openSession(), snapshot, dir, () -> SETTINGS,
                new RateLimiter.SimpleRateLimiter(0), new ShardRecoveryState(0), Clock.systemUTC(), installer);

        assertThatThrownBy(copier::copy).isInstanceOf(IOException.class).hasMessageContaining("bytes of the chunk at");

        assertThat(names(dir)).doesNotContain(victim.name(), ShardCopier.PART_PREFIX + victim.name())
                .noneMatch(n -> n.startsWith(ShardCopier.PART_PREFIX)).noneMatch(n -> n.startsWith("segments_"));
    }

    @Test
    void aManifestWithoutCommitPointIsRefused() {
        snapshot = new ShardSnapshot(0, snapshot.generation(), snapshot.files().stream()
                .filter(f -> !f.name().startsWith("segments_")).toList(), snapshot.userData());

        assertThatThrownBy(() -> copier(new ShardRecoveryState(0)).copy()).isInstanceOf(IOException.class)
                .hasMessageContaining("names no segments_N file");
        assertThat(leader.reads()).isEmpty();
    }

    @Test
    void chunksWaitForTheNodeRateWhichFollowsTheSettingsAtOnce() throws Exception {
        RateLimiter nodeLimiter = new RateLimiter.SimpleRateLimiter(0);
        long rate = 64 << 10;
        AtomicReference<RecoverySettings> settings = new AtomicReference<>(new RecoverySettings(CHUNK, 1, rate));
        ShardRecoveryState throttled = new ShardRecoveryState(0);
        long t0 = System.nanoTime();

        copier(throttled, settings::get, nodeLimiter).copy();

        double seconds = (System.nanoTime() - t0) / 1e9;
        double atRate = (double) (snapshot.totalBytes() - CHUNK) / rate;
        assertThat(seconds).as("%d bytes at %d bytes/s", snapshot.totalBytes(), rate).isGreaterThanOrEqualTo(atRate);
        assertThat(throttled.throttleMillis()).isPositive();
        assertThat(nodeLimiter.getMBPerSec()).isEqualTo(rate / (1024.0 * 1024.0));

        // a copy at a rate that would take seconds, lifted after its second chunk
        int small = 1 << 10;
        settings.set(new RecoverySettings(small, 1, 4 * small));
        double throttledSeconds = (double) snapshot.totalBytes() / (4 * small);
        assertThat(throttledSeconds).isGreaterThan(8);
        int readsBefore = leader.reads().size();
        leader.onRead(read -> {
            if (leader.reads().size() == readsBefore + 2) {
                settings.set(new RecoverySettings(small, 1, 0));
            }
        });
        Path again = tmp.resolve("again");
        ShardRecoveryState lifted = new ShardRecoveryState(0);
        long t1 = System.nanoTime();

        new ShardCopier(leader, leader.openSession(), snapshot, again, settings::get, nodeLimiter, lifted,
                Clock.systemUTC(), installer).copy();

        assertThat(lifted.stage()).isEqualTo(ShardRecoveryState.Stage.DONE);
        assertThat((System.nanoTime() - t1) / 1e9).as("seconds to copy once the limit was lifted")
                .isLessThan(throttledSeconds / 2);
        assertThat(lifted.throttleMillis()).isPositive().isLessThan(2_000);
    }

    @Test
    void anInterruptedCopyStopsAndLeavesNoPartialFile() throws Exception {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        ShardCopier slow = copier(new ShardRecoveryState(0), () -> new RecoverySettings(CHUNK, 1, 16),
                new RateLimiter.SimpleRateLimiter(0));
        Thread copying = Thread.ofPlatform().start(() -> outcome.set(catchThrowable(slow::copy)));
        // minutes per chunk at this rate: the copier sleeps in the rate limiter before its first read, even where a
        // loaded machine takes long to get there (the limiter's first pause counts from its creation)
        await().atMost(Duration.ofSeconds(10)).until(() -> copying.getState() == Thread.State.TIMED_WAITING);

        copying.interrupt();
        copying.join(Duration.ofSeconds(10));

        assertThat(copying.isAlive()).isFalse();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(leader.reads()).isEmpty();
        assertThat(names(dir)).noneMatch(n -> n.startsWith(ShardCopier.PART_PREFIX))
                .noneMatch(n -> n.startsWith("segments_"));
    }

    private static int indexOf(List<InMemoryRestoreSource.Read> reads, String file) {
        for (int i = 0; i < reads.size(); i++) {
            if (reads.get(i).file().equals(file)) {
                return i;
            }
        }
        throw new AssertionError(file + " was never read");
    }

    private static Set<String> names(List<StoreFile> files) {
        return files.stream().map(StoreFile::name).collect(Collectors.toCollection(HashSet::new));
    }

    private static Set<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(HashSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
