package io.kccr.node.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.http.HandlerType;
import io.kccr.node.security.Access;
import org.junit.jupiter.api.Test;

/** The route table's rule: a route without a declared Elasticsearch action is refused, naming the route. */
class RouteTableTest {

    @Test
    void aRouteWithoutADeclaredActionIsRefused() {
        assertThatThrownBy(() -> RestServer.requireDeclared(HandlerType.GET, "/_new_api", Access.authenticated()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("route [GET /_new_api] declares no Elasticsearch action");
        assertThat(RestServer.requireDeclared(HandlerType.GET, "/_stats", Access.index("indices:monitor/stats"))
                .checks()).hasSize(1);
    }
}
