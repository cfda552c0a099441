package io.kccr.node.disk;

import io.kccr.core.index.IndexBlock;
import io.kccr.follower.FollowerIndex;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.LeaderIndex;
import io.kccr.node.follow.FollowerCatalog;
import io.kccr.node.settings.Watermark;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elasticsearch's flood-stage protection for this node's disk: at every check, once {@code path.data}'s disk passes
 * the flood-stage watermark, every leader index gets {@code index.blocks.read_only_allow_delete} (writes: 429
 * {@code cluster_block_exception}, retryable) and every active follower stops applying (it stays active, the reason
 * in its {@code read_exceptions}); once usage is below the high watermark again, blocks are lifted and followers
 * apply on. Nothing is failed: Lucene is never pushed into a full disk, and the log keeps every write meanwhile.
 *
 * <p>Runs on the node's scheduler ({@link #start}); thread-safe.
 */
public final class DiskWatermarks {
    private static final Logger log = LoggerFactory.getLogger(DiskWatermarks.class);

    private final Path dataPath;
    private final Supplier<Watermark.Thresholds> thresholds;
    private final IndexCatalog leaders;
    private final FollowerCatalog followers;
    private volatile boolean flooded;

    public DiskWatermarks(Path dataPath, Supplier<Watermark.Thresholds> thresholds, IndexCatalog leaders,
                          FollowerCatalog followers) {
        this.dataPath = dataPath;
        this.thresholds = thresholds;
        this.leaders = leaders;
        this.followers = followers;
    }

    /**
     * Checks the disk on {@code scheduler} every {@code interval} ({@code cluster.info.update.interval}, read again
     * every second, so a change takes effect within one), from now on.
     */
    public void start(ScheduledExecutorService scheduler, Supplier<Duration> interval) {
        long[] lastCheck = {0};
        scheduler.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            if (now - lastCheck[0] >= interval.get().toNanos()) {
                lastCheck[0] = now;
                check();
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    /** Whether the disk is past the flood stage now (as of the last check). */
    public boolean flooded() {
        return flooded;
    }

    /** Reads the disk's usage and blocks or unblocks the node's indices. */
    public synchronized void check() {
        Watermark.Thresholds t = thresholds.get();
        boolean flood;
        String usage;
        try {
            FileStore store = Files.getFileStore(dataPath);
            long total = store.getTotalSpace();
            long free = store.getUsableSpace();
            usage = (total - free) + " of " + total + " bytes used";
            flood = t != null && (t.floodStage().reached(total, free) || flooded && t.high().reached(total, free));
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read the disk usage of [{}]", dataPath, e);
            return;
        }
        if (flood != flooded) {
            log.warn(flood ? "disk of [{}] past the flood-stage watermark ({}): indices are read-only, followers stop"
                    + " applying" : "disk of [{}] below the high watermark again ({}): writes and followers resume",
                    dataPath, usage);
        }
        flooded = flood;
        for (LeaderIndex index : leaders.all()) {
            if (flood) {
                index.addBlock(IndexBlock.FLOOD_STAGE);
            } else {
                index.removeBlock(IndexBlock.FLOOD_STAGE.id());
            }
        }
        for (FollowerIndex follower : followers.all()) {
            if (flood) {
                follower.suspend("disk usage exceeded the flood-stage watermark (" + usage + "); applying resumes once"
                        + " it is below cluster.routing.allocation.disk.watermark.high");
            } else {
                follower.unsuspend();
            }
        }
    }
}
