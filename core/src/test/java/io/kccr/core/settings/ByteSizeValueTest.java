package io.kccr.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteSizeValueTest {

    private static ByteSizeValue parse(String value) {
        return ByteSizeValue.parse(value, "test.setting");
    }

    @ParameterizedTest
    @CsvSource({
        "512b, 512",
        "1kb, 1024",
        "64KB, 65536",
        "10k, 10240",
        "100mb, 104857600",
        "100M, 104857600",
        "2gb, 2147483648",
        "1tb, 1099511627776",
        "1pb, 1125899906842624",
        "1.5kb, 1536",
        "1.5gb, 1610612736",
        "1.1kb, 1127",
        "' 8mb ', 8388608",
        "0b, 0",
        "0, 0",
        "8191pb, 9222246136947933184",
    })
    void parsesElasticsearchUnits(String text, long bytes) {
        assertThat(parse(text).bytes()).isEqualTo(bytes);
    }

    @Test
    void minusOneNeedsNoUnit() {
        assertThat(parse("-1")).isEqualTo(ByteSizeValue.MINUS_ONE);
        assertThat(parse("-1b")).isEqualTo(ByteSizeValue.MINUS_ONE);
        assertThat(parse("-1B")).isEqualTo(ByteSizeValue.MINUS_ONE);
        assertThat(ByteSizeValue.MINUS_ONE.stringRep()).isEqualTo("-1");
        assertThat(ByteSizeValue.MINUS_ONE).hasToString("-1b");
    }

    @Test
    void badValuesAreRejectedNamingTheSettingAndValue() {
        assertThatThrownBy(() -> parse("100"))
                .hasMessage("failed to parse setting [test.setting] with value [100] as a size in bytes: unit is "
                        + "missing or unrecognized (use b, kb, mb, gb, tb or pb, e.g. 512mb)");
        assertThatThrownBy(() -> parse("10xb")).hasMessageContaining("unit is missing or unrecognized");
        assertThatThrownBy(() -> parse("banana")).hasMessageContaining("expected a number and a unit");
        assertThatThrownBy(() -> parse("mb")).hasMessageContaining("expected a number and a unit");
        assertThatThrownBy(() -> parse("100 mb")).hasMessageContaining("no space between the number and the unit");
        assertThatThrownBy(() -> parse("-1mb")).hasMessageContaining("negative sizes are not supported");
        assertThatThrownBy(() -> parse("-2b")).hasMessageContaining("negative sizes are not supported");
        assertThatThrownBy(() -> parse("1.5b")).hasMessageContaining("a number of bytes is a whole number");
        assertThatThrownBy(() -> parse("8192pb"))
                .hasMessage("failed to parse setting [test.setting] with value [8192pb] as a size in bytes: Values "
                        + "greater than 9223372036854775807 bytes are not supported");
        assertThatThrownBy(() -> parse("99999999999999999999b")).hasMessageContaining("Values greater than");
        assertThatThrownBy(() -> ByteSizeValue.of(-5, ByteSizeUnit.KB)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteSizeValue.of(8192, ByteSizeUnit.PB))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0b",
        "1023, 1023b",
        "1024, 1kb",
        "1536, 1.5kb",
        "536870912, 512mb",
        "1610612736, 1.5gb",
        "1073741823, 1023.9mb",
        "1099511627776, 1tb",
        "1125899906842624, 1pb",
    })
    void rendersAsElasticsearchsToString(long bytes, String expected) {
        assertThat(ByteSizeValue.ofBytes(bytes)).hasToString(expected);
    }

    @Test
    void stringRepKeepsTheUnitWhereItDivides() {
        assertThat(parse("512mb").stringRep()).isEqualTo("512mb");
        assertThat(parse("512MB").stringRep()).isEqualTo("512mb");
        assertThat(parse("1536kb").stringRep()).isEqualTo("1536kb");
        assertThat(parse("1536kb")).hasToString("1.5mb");
        assertThat(parse("1.5kb").stringRep()).isEqualTo("1536b");
        assertThat(parse("0").stringRep()).isEqualTo("0");
        assertThat(ByteSizeValue.ofBytes(Long.MAX_VALUE).stringRep()).isEqualTo("9223372036854775807b");
        assertThat(ByteSizeValue.of(32, ByteSizeUnit.MB).stringRep()).isEqualTo("32mb");
        for (String text : new String[] {"7b", "64kb", "100mb", "3gb", "2tb", "1pb"}) {
            assertThat(parse(text).stringRep()).isEqualTo(text);
            assertThat(parse(parse(text).stringRep())).isEqualTo(parse(text));
        }
    }

    @Test
    void comparesBySize() {
        assertThat(parse("1kb")).isEqualByComparingTo(parse("1024b")).isNotEqualTo(parse("1024b"));
        assertThat(parse("1mb")).isGreaterThan(parse("1023kb"));
    }
}
