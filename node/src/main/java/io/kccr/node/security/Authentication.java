package io.kccr.node.security;

import java.util.List;

/**
 * Who a request is and what it may do.
 *
 * @param username   the user (for an API key: its owner)
 * @param roles      the user's role names (for an API key: none of its own, as Elasticsearch shows it)
 * @param permission what the request may do
 * @param realm      {@code reserved}, {@code native}, or {@code _es_api_key} / {@code _es_cross_cluster_api_key}
 * @param user       the user record, or null for an API key
 * @param apiKey     the API key, or null for a user
 */
public record Authentication(String username, List<String> roles, Permission permission, String realm, User user,
                             ApiKey apiKey) {
    public Authentication {
        roles = List.copyOf(roles);
    }

    /** Whether it is a cross-cluster API key (which may only call the leader side of replication). */
    public boolean crossCluster() {
        return apiKey != null && ApiKey.CROSS_CLUSTER.equals(apiKey.type());
    }

    /** Whether it is another node of this cluster, calling with its own key ({@link ApiKey#NODE}). */
    public boolean node() {
        return apiKey != null && ApiKey.NODE.equals(apiKey.type());
    }

    /** How Elasticsearch names the subject in a 403: {@code user [u]} or {@code API key id [id] of user [u]}. */
    public String subject() {
        return apiKey == null ? "user [" + username + "]" : "API key id [" + apiKey.id() + "] of user [" + username
                + "]";
    }

    /** Elasticsearch's {@code authentication_type}: {@code realm} or {@code api_key}. */
    public String type() {
        return apiKey == null ? "realm" : "api_key";
    }
}
