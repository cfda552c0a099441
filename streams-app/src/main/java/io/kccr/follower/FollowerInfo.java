package io.kccr.follower;

import io.kccr.follower.bootstrap.ShardRecoveryState;
import io.kccr.follower.replay.ShardReplayState;
import java.util.List;

/**
 * What a follower is, as {@code _ccr/info} shows it: what it follows, its status and parameters, the
 * error it failed with (null unless failed), and the progress of the copy while it bootstraps or of the
 * replay while it rebuilds (null otherwise, or before the work measured anything).
 */
public record FollowerInfo(String followerIndex, String remoteCluster, String leaderIndex, FollowerStatus status,
                           FollowParameters parameters, FatalError fatalError, Progress bootstrap, Progress rebuild) {

    /** Work done of work to do: bytes of a copy, log offsets of a replay. */
    public record Progress(long total, long done) {
        /** Done over total in percent, one decimal; 0 for nothing to do. */
        public double percent() {
            return total == 0 ? 0 : Math.round(1000.0 * done / total) / 10.0;
        }

        /** The bytes in place (reused or copied) of every shard's copy. */
        static Progress ofCopy(List<ShardRecoveryState> shards) {
            long total = 0;
            long done = 0;
            for (ShardRecoveryState r : shards) {
                total += r.bytesTotal();
                done += r.bytesReused() + r.bytesRecovered();
            }
            return new Progress(total, done);
        }

        /** The log offsets replayed of every shard's replay. */
        static Progress ofReplay(List<ShardReplayState> shards) {
            long total = 0;
            long done = 0;
            for (ShardReplayState r : shards) {
                total += r.total();
                done += r.replayed();
            }
            return new Progress(total, done);
        }
    }

    static FollowerInfo of(FollowerIndex f, FollowerLifecycle.State state) {
        FollowerDefinition d = f.definition();
        Progress bootstrap = state.status() == FollowerStatus.BOOTSTRAPPING && !f.recovery().isEmpty()
                ? Progress.ofCopy(f.recovery()) : null;
        Progress rebuild = state.status() == FollowerStatus.REBUILDING && !f.replay().isEmpty()
                ? Progress.ofReplay(f.replay()) : null;
        return new FollowerInfo(f.name(), d.remoteCluster(), d.leaderIndex(), state.status(), f.parameters(),
                state.fatalError(), bootstrap, rebuild);
    }
}
