package io.kccr.core.index;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.KccrException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"Upper", "_under", "-dash", "+plus", "..", ".", "a/b", "a\\b", "a b", "a*b", "a#b", "a:b", ""})
    void invalidNamesAreRejected(String name) {
        assertThatThrownBy(() -> IndexNames.validate(name)).isInstanceOf(KccrException.class)
                .satisfies(e -> assertThat(((KccrException) e).type()).isEqualTo("invalid_index_name_exception"))
                .satisfies(e -> assertThat(e).isInstanceOf(InvalidRequestException.class));
    }

    @Test
    void tooLongNamesAreRejected() {
        assertThat(IndexNames.problem("a".repeat(255))).isNull();
        assertThat(IndexNames.problem("a".repeat(256))).contains("too long");
        assertThat(IndexNames.problem("é".repeat(128))).contains("too long");
    }

    @Test
    void aPartsKeyNamesItsIndexAndShardAndNoIndexCanBeNamedLikeOne() {
        String key = IndexNames.partKey("cities", 3);
        assertThat(key).isEqualTo("cities#3");
        assertThat(IndexNames.indexOfPart(key)).isEqualTo("cities");
        assertThat(IndexNames.shardOfPart(key)).isEqualTo(3);
        assertThat(IndexNames.indexOfPart("cities")).isEqualTo("cities");
        assertThat(IndexNames.shardOfPart("cities")).isEqualTo(-1);
        assertThat(IndexNames.shardOfPart("cities#x")).isEqualTo(-1);
        assertThat(IndexNames.problem(key)).as("a part's key is no index name").isNotNull();
    }

    @Test
    void ordinaryNamesPass() {
        assertThat(IndexNames.problem("geonames")).isNull();
        assertThat(IndexNames.problem("geonames-follower.v2_1")).isNull();
    }
}
