package io.kccr.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.error.KccrException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Elasticsearch's mapping limits, counted and worded as Elasticsearch does. */
class MappingLimitsTest {

    private static Mappings with(String... paths) {
        Map<String, FieldMapping> fields = new LinkedHashMap<>();
        for (String p : paths) {
            fields.put(p, FieldMapping.of(FieldType.LONG));
        }
        return Mappings.of(fields);
    }

    @Test
    void totalFieldsCountObjectsLeavesAndMultiFields() {
        Mappings m = Mappings.of(Map.of("a.b", FieldMapping.of(FieldType.LONG), "t", FieldMapping.dynamicText()));
        assertThat(MappingLimits.count(m)).as("object a, leaf a.b, text t and t.keyword").isEqualTo(4);
        new MappingLimits(4, 20, 100).check(Mappings.empty(), m);
        assertThatThrownBy(() -> new MappingLimits(3, 20, 100).check(Mappings.empty(), m))
                .isInstanceOfSatisfying(KccrException.class, e -> assertThat(e.type()).isEqualTo("illegal_argument_exception"))
                .hasMessage("Limit of total fields [3] has been exceeded while adding new fields [4]");
    }

    @Test
    void depthCountsTheObjectsAboveAField() {
        new MappingLimits(1000, 3, 100).check(Mappings.empty(), with("a.b.c"));
        assertThatThrownBy(() -> new MappingLimits(1000, 3, 100).check(Mappings.empty(), with("a.b.c.d")))
                .hasMessage("Limit of mapping depth [3] has been exceeded due to object field [a.b.c]");
        assertThatThrownBy(() -> new MappingLimits(1000, 1, 100).check(Mappings.empty(), with("a.b")))
                .hasMessage("Limit of mapping depth [1] has been exceeded due to object field [a]");
    }

    @Test
    void fieldNamesAreLimitedByTheirLastSegment() {
        new MappingLimits(1000, 20, 5).check(Mappings.empty(), with("abcdefgh.abcde"));
        assertThatThrownBy(() -> new MappingLimits(1000, 20, 5).check(Mappings.empty(), with("a.abcdef")))
                .hasMessage("Field name [a.abcdef] is longer than the limit of [5] characters");
    }
}
