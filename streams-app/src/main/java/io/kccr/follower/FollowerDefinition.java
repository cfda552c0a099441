package io.kccr.follower;

/** What a follower follows and how. */
public record FollowerDefinition(String followerIndex, String remoteCluster, String leaderIndex, String applicationId,
                                 String opsTopic, String metaTopic, FollowParameters parameters) {
    /** The prefix of the settings that hold the remote's Kafka client properties, for error messages. */
    public String remoteKafkaSettings() {
        return "cluster.remote." + remoteCluster + ".kafka.";
    }
}
