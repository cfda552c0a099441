package io.kccr.node.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Every route of the REST table declares the Elasticsearch action its caller needs, or is explicitly open: an access
 * that names no action is refused by the table when the node starts (so any test that starts a node fails with it).
 */
class AccessTest {

    @Test
    void onlyAnExplicitlyOpenRouteOrOneNamingAnActionIsDeclared() {
        assertThat(Access.authenticated().declares()).as("authenticated, no action").isFalse();
        assertThat(Access.open().declares()).isTrue();
        assertThat(Access.cluster("cluster:admin/indices/dangling/list").declares()).isTrue();
        assertThat(Access.index("indices:monitor/stats").declares()).isTrue();
        assertThat(Access.item("indices:data/read/mget").declares()).isTrue();
        assertThat(Access.own("cluster:admin/xpack/security/user/authenticate").declares()).isTrue();
    }

    @Test
    void itemAndOwnActionsAreLeftToTheController() {
        assertThat(Access.item("indices:data/write/bulk").checks()).singleElement()
                .satisfies(c -> assertThat(c.byController()).isTrue());
        assertThat(Access.index("indices:monitor/stats").andCluster("cluster:monitor/state").checks())
                .allSatisfy(c -> assertThat(c.byController()).isFalse());
    }
}
