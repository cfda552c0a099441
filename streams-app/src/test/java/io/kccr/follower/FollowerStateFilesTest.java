package io.kccr.follower;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.follower.replay.AsOf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The follower's own state files: the rebuild request and the bootstrap marker, and those of earlier versions. */
class FollowerStateFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void rebuildRequestsRoundTripSnakeCase() throws Exception {
        FollowerRebuild.Request request = new FollowerRebuild.Request(new AsOf(null, 12L, Map.of(1, 40L)), true);
        String json = JSON.writeValueAsString(request);
        assertThat(json).isEqualTo("{\"as_of\":{\"timestamp\":null,\"seq_no\":12,\"shard_seq_nos\":{\"1\":40}},"
                + "\"held\":true}");
        assertThat(JSON.readValue(json, FollowerRebuild.Request.class)).isEqualTo(request);
    }

    @Test
    void aRebuildIsRecordedHeldAndReleased() {
        FollowerRebuild rebuild = new FollowerRebuild(dir);
        assertThat(rebuild.request()).isNull();
        AsOf asOf = new AsOf(1_700_000_000_000L, null, Map.of());
        rebuild.record(asOf);
        assertThat(rebuild.request()).isEqualTo(new FollowerRebuild.Request(asOf, false));
        assertThat(rebuild.pending()).isTrue();
        rebuild.finish(asOf);
        assertThat(rebuild.held()).isTrue();
        assertThat(new FollowerRebuild(dir).request()).as("read again").isEqualTo(new FollowerRebuild.Request(asOf, true));
        rebuild.release();
        assertThat(rebuild.request()).isNull();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aRebuildRecordedByAnEarlierVersionIsRead() throws Exception {
        Files.writeString(dir.resolve(FollowerRebuild.MARKER),
                "{\"asOf\":{\"timestamp\":null,\"seqNo\":12,\"shardSeqNos\":{\"1\":40}},\"held\":false}");
        assertThat(new FollowerRebuild(dir).request())
                .isEqualTo(new FollowerRebuild.Request(new AsOf(null, 12L, Map.of(1, 40L)), false));
    }

    @Test
    void bootstrapMarkersRoundTrip() throws Exception {
        for (FollowerBootstrap.HandOff h : FollowerBootstrap.HandOff.values()) {
            FollowerBootstrap.Marker marker = new FollowerBootstrap.Marker(h);
            assertThat(JSON.readValue(JSON.writeValueAsString(marker), FollowerBootstrap.Marker.class)).isEqualTo(marker);
        }
        assertThat(JSON.writeValueAsString(new FollowerBootstrap.Marker(FollowerBootstrap.HandOff.OFFSETS_FROM_COMMITS)))
                .isEqualTo("{\"hand_off\":\"offsets_from_commits\"}");
    }

    @Test
    void aDoneCopyHandsOverToTheConsumerGroupOnceAndIsForgottenByAReset() throws Exception {
        FollowerBootstrap bootstrap = copying();
        assertThat(bootstrap.done()).isFalse();
        bootstrap.markDone();
        assertThat(bootstrap.done()).isTrue();
        assertThat(bootstrap.offsetsPending()).isTrue();
        bootstrap.offsetsSet();
        assertThat(copying().done()).as("read again").isTrue();
        assertThat(copying().offsetsPending()).isFalse();
        bootstrap.reset();
        assertThat(bootstrap.done()).isFalse();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void theMarkersOfAnEarlierVersionAreReadAndReplaced() throws Exception {
        Files.writeString(dir.resolve(FollowerBootstrap.LEGACY_DONE_MARKER), "the shard directories hold the leader's"
                + " commits\n");
        Files.writeString(dir.resolve(FollowerBootstrap.LEGACY_OFFSETS_MARKER), "the consumer group starts at the"
                + " shards' commits\n");
        FollowerBootstrap bootstrap = copying();
        assertThat(bootstrap.done()).isTrue();
        assertThat(bootstrap.offsetsPending()).isTrue();
        bootstrap.offsetsSet();
        assertThat(bootstrap.offsetsPending()).isFalse();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(FollowerBootstrap.MARKER);
        }

        Files.delete(dir.resolve(FollowerBootstrap.MARKER));
        Files.writeString(dir.resolve(FollowerBootstrap.LEGACY_DONE_MARKER), "done\n");
        assertThat(copying().done()).isTrue();
        assertThat(copying().offsetsPending()).as("the group was set before the upgrade").isFalse();
    }

    /** A follower that bootstraps; no copy runs in these tests. */
    private FollowerBootstrap copying() {
        return new FollowerBootstrap(dir, shards -> {
            throw new AssertionError("no copy expected");
        });
    }
}
