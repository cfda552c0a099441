package io.kccr.core.search.query;

import io.kccr.core.search.TestIndex;
import static org.assertj.core.api.Assertions.assertThat;

import io.kccr.core.mapping.FieldType;
import io.kccr.core.mapping.Mappings;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldResolverTest {

    private final FieldResolver fields;

    FieldResolverTest() throws IOException {
        fields = new FieldResolver(Mappings.fromJson(TestIndex.JSON.readTree(TestIndex.MAPPINGS)));
    }

    @Test
    void resolvesMappedAndMetaFields() {
        assertThat(fields.resolve("name.keyword").type()).isEqualTo(FieldType.KEYWORD);
        assertThat(fields.resolve("visited").format()).isEqualTo("dd/MM/yyyy");
        assertThat(fields.resolve("_id").kind()).isEqualTo(FieldTarget.Kind.ID);
        assertThat(fields.resolve("_version").kind()).isEqualTo(FieldTarget.Kind.DOC_VALUES_LONG);
        assertThat(fields.resolve("address")).isNull();
        assertThat(fields.resolve("nope")).isNull();
    }

    @Test
    void expandsPatternsAndObjects() {
        assertThat(fields.expandPattern("addr*")).containsExactly("address.city", "address.zip");
        assertThat(fields.expandPattern("name*")).containsExactly("name", "name.keyword");
        assertThat(fields.expandPattern("*")).doesNotContain("location", "address");
        assertThat(fields.expandPattern("nope")).containsExactly("nope");
        assertThat(fields.leavesUnder("address")).containsExactly("address.city", "address.zip");
        assertThat(fields.leavesUnder("name")).isEmpty();
        Map<String, Float> boosts = new LinkedHashMap<>();
        boosts.put("name*", 2f);
        boosts.put("name", 3f);
        assertThat(fields.expandFields(boosts)).containsExactly(Map.entry("name", 6f), Map.entry("name.keyword", 2f));
    }

    @Test
    void wildcardRegexQuotesAllButStar() {
        assertThat(FieldResolver.wildcardRegex("a*.b").matcher("a.x.b").matches()).isTrue();
        assertThat(FieldResolver.wildcardRegex("a*.b").matcher("axb").matches()).isFalse();
        assertThat(FieldResolver.wildcardRegex("a?(").matcher("a?(").matches()).isTrue();
        assertThat(FieldResolver.wildcardRegex("a?(").matcher("ab(").matches()).isFalse();
    }
}
