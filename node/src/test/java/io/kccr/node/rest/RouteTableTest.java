package io.kccr.node.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.http.HandlerType;
import io.kccr.node.security.Access;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The route table's rules: a route without a declared Elasticsearch action is refused, naming the route; a request path
 * matches a route's template as Elasticsearch's method check needs it.
 */
class RouteTableTest {

    @Test
    void aRouteWithoutADeclaredActionIsRefused() {
        assertThatThrownBy(() -> RestServer.requireDeclared(HandlerType.GET, "/_new_api", Access.authenticated()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("route [GET /_new_api] declares no Elasticsearch action");
        assertThat(RestServer.requireDeclared(HandlerType.GET, "/_stats", Access.index("indices:monitor/stats"))
                .checks()).hasSize(1);
    }

    /** Matching a template answers as the regular expression it stood for did: {param} as [^/]+, then /?. */
    @Test
    void pathsMatchTemplatesSegmentBySegment() {
        List<String> templates = List.of("/", "/{index}", "/_bulk", "/{index}/_bulk", "/{index}/_doc/{id}",
                "/_search/scroll", "/_search/scroll/{id}", "/_ccr/restore_session/{session}/{shard}/{file}",
                "/_kccr/shards/{index}/_search");
        List<String> paths = List.of("/", "//", "/geo", "/geo/", "/geo//", "//geo", "/_bulk", "/_bulk/", "/geo/_bulk",
                "/geo/_bulk/", "/geo/_doc/1", "/geo/_doc/", "/geo/_doc//", "/geo/_doc/1/", "/geo/_doc/1/x",
                "/_search/scroll", "/_search/scroll/abc", "/_search/scroll//", "/_ccr/restore_session/s/0/_0.cfs",
                "/_kccr/shards/geo/_search", "/_kccr/shards//_search", "/geo/_doc/1//", "");
        for (String template : templates) {
            Pattern oracle = Pattern.compile("^" + template.replaceAll("\\{[^}]+}", "[^/]+") + "/?$");
            for (String path : paths) {
                assertThat(MethodCheck.matches(MethodCheck.split(template), MethodCheck.split(path)))
                        .as("%s against %s", path, template).isEqualTo(oracle.matcher(path).matches());
            }
        }
    }
}
