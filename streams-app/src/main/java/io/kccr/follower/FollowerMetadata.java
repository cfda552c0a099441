package io.kccr.follower;

import io.kccr.core.index.IndexMetadata;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * A follower index's metadata as its users see it: the leader's replicated settings with the follower's own on top
 * ({@link FollowerIndexSettings}, e.g. {@code index.refresh_interval}), and the leader's mappings, under the
 * follower's name and uuid. Built again only when the leader's metadata or the follower's own settings are no longer
 * those it was built from: a search asks for it several times, and building it merges the settings and hashes the
 * uuid. Thread-safe.
 */
final class FollowerMetadata {
    private final String name;
    private final String applicationId;
    private final LeaderMetadataReader leader;
    private volatile FollowerIndexSettings own = FollowerIndexSettings.NONE;
    private volatile Merged merged;

    /** {@link #current()} as last built, with the two it was built from (compared by identity: both are immutable). */
    private record Merged(IndexMetadata leader, FollowerIndexSettings own, IndexMetadata metadata) {
    }

    FollowerMetadata(String name, String applicationId, LeaderMetadataReader leader) {
        this.name = name;
        this.applicationId = applicationId;
        this.leader = leader;
    }

    /** The follower's metadata now. */
    IndexMetadata current() {
        IndexMetadata from = leader.current();
        FollowerIndexSettings settings = own;
        Merged last = merged;
        if (last == null || last.leader() != from || last.own() != settings) {
            last = new Merged(from, settings, new IndexMetadata(name, uuid(applicationId, from.uuid()),
                    from.historyUuid(), from.creationDate(), settings.over(from.settings()), from.mappings(),
                    from.mappingVersion(), from.settingsVersion()));
            merged = last;
        }
        return last.metadata();
    }

    /** The settings the follower sets itself. */
    FollowerIndexSettings own() {
        return own;
    }

    void own(FollowerIndexSettings value) {
        this.own = Objects.requireNonNull(value, "settings");
    }

    /**
     * A follower's own index uuid (Elasticsearch gives a follower index its own; {@code forget_follower} names
     * it), in Elasticsearch's form: derived from the follower's application id (its cluster and name) and the
     * leader's uuid, so it is the same after a restart without being stored, and another for a leader recreated
     * under the same name.
     */
    static String uuid(String applicationId, String leaderUuid) {
        UUID id = UUID.nameUUIDFromBytes((applicationId + "/" + leaderUuid).getBytes(StandardCharsets.UTF_8));
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
