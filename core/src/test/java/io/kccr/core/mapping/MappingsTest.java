package io.kccr.core.mapping;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.KccrException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MappingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static final String FULL = """
            {"dynamic": "strict", "properties": {
              "name": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}},
              "population": {"type": "long"},
              "created": {"type": "date", "format": "yyyy-MM-dd||epoch_millis"},
              "location": {"type": "geo_point"},
              "address": {"properties": {"city": {"type": "keyword"},
                                         "geo": {"type": "object", "properties": {"zip": {"type": "integer"}}}}}
            }}""";

    @Test
    void parsesElasticsearchMappingsJson() {
        Mappings m = Mappings.fromJson(json(FULL));
        assertThat(m.dynamic()).isEqualTo(Mappings.Dynamic.STRICT);
        assertThat(m.fields().keySet())
                .containsExactly("address.city", "address.geo.zip", "created", "location", "name", "population");
        assertThat(m.field("name")).isEqualTo(FieldMapping.dynamicText());
        assertThat(m.field("name.keyword")).isEqualTo(new FieldMapping(FieldType.KEYWORD, Map.of(), 256, null));
        assertThat(m.field("created").format()).isEqualTo("yyyy-MM-dd||epoch_millis");
        assertThat(m.field("nope")).isNull();
        assertThat(m.isObject("address")).isTrue();
        assertThat(m.isObject("address.geo")).isTrue();
        assertThat(m.isObject("name")).isFalse();
    }

    @Test
    void jsonRoundTrips() {
        Mappings m = Mappings.fromJson(json(FULL));
        assertThat(Mappings.fromJson(m.toJson())).isEqualTo(m);
        assertThat(Mappings.fromJson(json(m.toJson().toString()))).isEqualTo(m);
        assertThat(Mappings.fromJson(m.toJson()).hashCode()).isEqualTo(m.hashCode());

        Mappings empty = Mappings.empty();
        assertThat(Mappings.fromJson(empty.toJson())).isEqualTo(empty);
        assertThat(Mappings.fromJson(null)).isEqualTo(empty);

        Mappings dynamic = Mappings.empty().merge(new DocumentMapper().parse("1",
                "{\"a\": {\"b\": \"x\"}, \"n\": 1, \"f\": 1.5, \"d\": \"2020-01-01\", \"t\": true}".getBytes(),
                Mappings.empty()).dynamicMappingUpdates());
        assertThat(Mappings.fromJson(dynamic.toJson())).isEqualTo(dynamic);
    }

    @Test
    void acceptsTheTypeWrapper() {
        Mappings wrapped = Mappings.fromJson(json("{\"_doc\": {\"properties\": {\"a\": {\"type\": \"keyword\"}}}}"));
        assertThat(wrapped.field("a")).isEqualTo(FieldMapping.of(FieldType.KEYWORD));
    }

    @Test
    void rejectsUnknownTypesAndBadDynamic() {
        assertThatThrownBy(() -> Mappings.fromJson(json("{\"properties\": {\"a\": {\"type\": \"nope\"}}}")))
                .isInstanceOfSatisfying(KccrException.class, e -> {
                    assertThat(e.type()).isEqualTo("mapper_parsing_exception");
                    assertThat(e.reason()).startsWith("No handler for type [nope] declared on field [a]");
                });
        assertThatThrownBy(() -> Mappings.fromJson(json("{\"dynamic\": \"sometimes\"}")))
                .isInstanceOf(KccrException.class);
    }

    @Test
    void mergeAddsFieldsAndKeepsSameMappingsAsIs() {
        Mappings m = Mappings.fromJson(json(FULL));
        assertThat(m.merge(Map.of("population", FieldMapping.of(FieldType.LONG)))).isSameAs(m);
        Mappings added = m.merge(Map.of("extra", FieldMapping.of(FieldType.BOOLEAN)));
        assertThat(added.field("extra")).isEqualTo(FieldMapping.of(FieldType.BOOLEAN));
        assertThat(added.dynamic()).isEqualTo(Mappings.Dynamic.STRICT);
        assertThat(m.field("extra")).isNull(); // immutable

        Mappings withRaw = m.merge(Map.of("name",
                new FieldMapping(FieldType.TEXT, Map.of("raw", FieldMapping.of(FieldType.KEYWORD)), null, null)));
        assertThat(withRaw.field("name").fields()).containsOnlyKeys("keyword", "raw");
    }

    @Test
    void mergeConflictsUseElasticsearchMessages() {
        Mappings m = Mappings.fromJson(json(FULL));
        assertThatThrownBy(() -> m.merge(Map.of("population", FieldMapping.of(FieldType.TEXT))))
                .isInstanceOfSatisfying(KccrException.class, e -> {
                    assertThat(e).isInstanceOf(InvalidRequestException.class);
                    assertThat(e.type()).isEqualTo("illegal_argument_exception");
                    assertThat(e.reason()).isEqualTo("mapper [population] cannot be changed from type [long] to [text]");
                });
        assertThatThrownBy(() -> m.merge(Map.of("address", FieldMapping.of(FieldType.KEYWORD))))
                .isInstanceOfSatisfying(KccrException.class, e -> {
                    assertThat(e.type()).isEqualTo("mapper_parsing_exception");
                    assertThat(e.reason()).isEqualTo("can't merge a non object mapping [address] with an object mapping;"
                            + " field [address.city] already maps [address] as an object");
                });
        assertThatThrownBy(() -> m.merge(Map.of("population.x", FieldMapping.of(FieldType.KEYWORD))))
                .isInstanceOfSatisfying(KccrException.class, e -> {
                    assertThat(e.type()).isEqualTo("mapper_parsing_exception");
                    assertThat(e.reason())
                            .isEqualTo("can't merge a non object mapping [population] with an object mapping [population.x]");
                });
    }

    @Test
    void mergeOfAnotherMappingsTakesItsDynamicSetting() {
        Mappings m = Mappings.fromJson(json(FULL));
        Mappings other = Mappings.fromJson(json("{\"dynamic\": false, \"properties\": {\"x\": {\"type\": \"keyword\"}}}"));
        Mappings merged = m.merge(other);
        assertThat(merged.dynamic()).isEqualTo(Mappings.Dynamic.FALSE);
        assertThat(merged.fields()).containsKeys("x", "population");
    }

    @Test
    void dynamicUpdatesFromConcurrentDocumentsConflictLikeElasticsearch() {
        DocumentMapper mapper = new DocumentMapper();
        Mappings base = Mappings.empty();
        ParsedDocument asLong = mapper.parse("1", "{\"f\": 1}".getBytes(), base);
        ParsedDocument asText = mapper.parse("2", "{\"f\": \"x\"}".getBytes(), base);
        Mappings afterFirst = base.merge(asLong.dynamicMappingUpdates());
        assertThatThrownBy(() -> afterFirst.merge(asText.dynamicMappingUpdates()))
                .isInstanceOfSatisfying(KccrException.class,
                        e -> assertThat(e.reason()).isEqualTo("mapper [f] cannot be changed from type [long] to [text]"));
        // the caller re-parses against the merged mappings: now a plain value error
        assertThatThrownBy(() -> mapper.parse("2", "{\"f\": \"x\"}".getBytes(), afterFirst))
                .isInstanceOfSatisfying(KccrException.class,
                        e -> assertThat(e.type()).isEqualTo("mapper_parsing_exception"));
    }
}
