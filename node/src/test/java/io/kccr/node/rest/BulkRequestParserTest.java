package io.kccr.node.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The action lines of a {@code _bulk} body, read as a JSON tree's {@code asText}/{@code asLong} would read them. */
class BulkRequestParserTest {

    private static List<BulkRequestParser.Item> parse(String body, String defaultIndex) {
        return BulkRequestParser.parse(body.getBytes(StandardCharsets.UTF_8), defaultIndex);
    }

    @Test
    void readsEachActionItsMetadataAndItsSourceAsSent() {
        List<BulkRequestParser.Item> items = parse("""
                {"index":{"_id":"1"}}
                {"name":"Vila"}

                {"create":{"_index":"other","_id":2,"routing":"r","dynamic_templates":{"a":"b"},"pipeline":null}}
                {"name" : "Andorra la Vella"}
                {"delete":{"_id":"3","if_seq_no":"17","if_primary_term":2}}
                {"update":{"_id":"4","retry_on_conflict":3}}
                {"doc":{"name":"x"}}
                {"index":{"_index":null}}
                {"a":1}
                """, "geonames");

        assertThat(items).extracting(BulkRequestParser.Item::action)
                .containsExactly("index", "create", "delete", "update", "index");
        assertThat(items).extracting(BulkRequestParser.Item::index)
                .containsExactly("geonames", "other", "geonames", "geonames", "geonames");
        assertThat(items).extracting(BulkRequestParser.Item::id).containsExactly("1", "2", "3", "4", null);
        assertThat(new String(items.get(1).source(), StandardCharsets.UTF_8)).isEqualTo("{\"name\" : \"Andorra la Vella\"}");
        assertThat(items.get(2).source()).isNull();
        assertThat(items.get(2).ifSeqNo()).isEqualTo(17L);
        assertThat(items.get(2).ifPrimaryTerm()).isEqualTo(2L);
        assertThat(items.get(0).ifSeqNo()).isNull();
        assertThat(items.get(3).retryOnConflict()).isEqualTo(3);
        assertThat(items.get(0).retryOnConflict()).isZero();
    }

    @Test
    void aMalformedActionLineFailsTheWholeRequestNamingItsLine() {
        for (String line : List.of("{\"index\":{},\"create\":{}}", "{}", "{\"index\":5}", "null", "[1]",
                "{\"index\":{\"_id\":\"1\"}")) {
            assertThatThrownBy(() -> parse("{\"index\":{}}\n{}\n" + line + "\n{}\n", "i")).as(line)
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Malformed action/metadata line [3]");
        }
        assertThatThrownBy(() -> parse("{\"upsert\":{}}\n{}\n", "i")).hasMessageContaining("found [upsert]");
        assertThatThrownBy(() -> parse("{\"index\":{}}\n{}\n", null)).hasMessageContaining("index is missing");
        assertThatThrownBy(() -> parse("{\"delete\":{}}\n", "i")).hasMessageContaining("id is missing for the delete");
        assertThatThrownBy(() -> parse("{\"index\":{}}", "i")).hasMessageContaining("has no source line");
        assertThatThrownBy(() -> parse("\n \n", "i")).hasMessageContaining("no requests added");
    }
}
