package io.kccr.node.security;

import java.util.ArrayList;
import java.util.List;

/**
 * What a REST route requires: nothing ({@link #open}), or the Elasticsearch actions its caller must be allowed: cluster
 * actions, index actions on the route's {@code {index}}, and actions the controller authorizes itself on each item of
 * the request ({@link #item}: a bulk item's index, a multi-get document's, the index a scroll or point in time was
 * opened on) or that every authenticated user holds on what is their own ({@link #own}). Every route declares at least
 * one action or is explicitly open ({@link #declares}); the route table refuses any other. Only routes marked
 * {@link #crossCluster} take a cross-cluster API key.
 *
 * @param isOpen             no authentication at all (the console's files, its login)
 * @param checks             the actions, all of which must be allowed
 * @param allowsCrossCluster whether a cross-cluster API key may call it (the leader side of replication)
 */
public record Access(boolean isOpen, List<Check> checks, boolean allowsCrossCluster) {

    /**
     * One action: a cluster action, or an index action on the indices of the route's {@code {index}}; when
     * {@code byController}, declared only: the guard authenticates, the controller authorizes.
     */
    public record Check(boolean index, String action, boolean byController) {
        public Check(boolean index, String action) {
            this(index, action, false);
        }
    }

    public Access {
        checks = List.copyOf(checks);
    }

    public static Access open() {
        return new Access(true, List.of(), false);
    }

    /** An authenticated caller, no action declared yet: not a route's access on its own (see {@link #declares}). */
    public static Access authenticated() {
        return new Access(false, List.of(), false);
    }

    public static Access cluster(String action) {
        return authenticated().andCluster(action);
    }

    public static Access index(String action) {
        return authenticated().andIndex(action);
    }

    /** Index action {@code action}, authorized by the controller on the index of each item of the request. */
    public static Access item(String action) {
        return authenticated().with(new Check(true, action, true));
    }

    /**
     * Cluster action {@code action} that Elasticsearch grants every authenticated user on their own (authenticate,
     * has_privileges, changing one's own password); the controller checks anything beyond that.
     */
    public static Access own(String action) {
        return authenticated().with(new Check(false, action, true));
    }

    public Access andCluster(String action) {
        return with(new Check(false, action));
    }

    public Access andIndex(String action) {
        return with(new Check(true, action));
    }

    /** This access, which a cross-cluster API key may use too. */
    public Access crossCluster() {
        return new Access(isOpen, checks, true);
    }

    /** Whether this access is explicitly open or names at least one Elasticsearch action. */
    public boolean declares() {
        return isOpen || !checks.isEmpty();
    }

    private Access with(Check check) {
        List<Check> more = new ArrayList<>(checks);
        more.add(check);
        return new Access(isOpen, more, allowsCrossCluster);
    }
}
