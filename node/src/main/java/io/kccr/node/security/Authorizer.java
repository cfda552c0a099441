package io.kccr.node.security;

import io.kccr.core.index.IndexNames;

import io.kccr.core.error.AuthorizationException;

/**
 * Decides whether an {@link Authentication} may carry out an action, and words a refusal as Elasticsearch does:
 * {@code action [indices:data/read/search] is unauthorized for user [u] with effective roles [r] on indices [i],
 * this action is granted by the index privileges [read,all]}. Each refusal goes to the audit log. Stateless.
 */
public final class Authorizer {

    private Authorizer() {
    }

    /**
     * @throws io.kccr.core.error.KccrException 403 {@code security_exception} when the cluster action is not allowed
     */
    public static void cluster(Authentication auth, String action, String address) {
        if (!auth.permission().grantsCluster(action)) {
            throw denied(auth, action, null, address);
        }
    }

    /**
     * @param indices an index name or a comma-separated list of names or patterns, each checked as given
     * @throws io.kccr.core.error.KccrException 403 {@code security_exception} when the action is not allowed on one
     */
    public static void index(Authentication auth, String action, String indices, String address) {
        for (String index : indices.split(",")) {
            // a part of a follower index spread over nodes is the follower index's, and authorized as it is
            if (!auth.permission().grantsIndex(action, IndexNames.indexOfPart(index.strip()))) {
                throw denied(auth, action, index.strip(), address);
            }
        }
    }

    /** Whether the index action is allowed on {@code index}. */
    public static boolean allowed(Authentication auth, String action, String index) {
        return auth.permission().grantsIndex(action, index);
    }

    /** The refusal of {@code action} (on {@code index}, or a cluster action when null), audited. */
    public static AuthorizationException denied(Authentication auth, String action, String index, String address) {
        Authenticator.AUDIT.warn("access_denied principal=[{}] address=[{}] action=[{}] indices=[{}]", auth.subject(),
                address, action, index == null ? "" : index);
        String roles = auth.apiKey() == null ? " with effective roles [" + String.join(",", auth.roles()) + "]" : "";
        String granted = index == null
                ? "this action is granted by the cluster privileges " + names(Privileges.clusterGranting(action))
                : "this action is granted by the index privileges " + names(Privileges.indexGranting(action));
        return new AuthorizationException("action [" + action + "] is unauthorized for " + auth.subject() + roles
                + (index == null ? "" : " on indices [" + index + "]") + ", " + granted);
    }

    private static String names(java.util.List<String> privileges) {
        return "[" + String.join(",", privileges) + "]";
    }
}
