package io.kccr.node.security;

import java.util.ArrayList;
import java.util.List;

/**
 * What a REST route requires: nothing ({@link #open}), an authenticated caller ({@link #authenticated}; the
 * controller checks each item, e.g. of a bulk), or actions that must all be allowed: cluster actions, and index
 * actions on the route's {@code {index}}. Only routes marked {@link #crossCluster} take a cross-cluster API key.
 *
 * @param isOpen       no authentication at all (the console's files, its login)
 * @param checks       the actions, all of which must be allowed
 * @param allowsCrossCluster whether a cross-cluster API key may call it (the leader side of replication)
 */
public record Access(boolean isOpen, List<Check> checks, boolean allowsCrossCluster) {

    /** One action: a cluster action, or an index action on the indices of the route's {@code {index}}. */
    public record Check(boolean index, String action) {
    }

    public Access {
        checks = List.copyOf(checks);
    }

    public static Access open() {
        return new Access(true, List.of(), false);
    }

    public static Access authenticated() {
        return new Access(false, List.of(), false);
    }

    public static Access cluster(String action) {
        return authenticated().andCluster(action);
    }

    public static Access index(String action) {
        return authenticated().andIndex(action);
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

    private Access with(Check check) {
        List<Check> more = new ArrayList<>(checks);
        more.add(check);
        return new Access(isOpen, more, allowsCrossCluster);
    }
}
