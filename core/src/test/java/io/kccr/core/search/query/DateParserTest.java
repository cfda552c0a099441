package io.kccr.core.search.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.mapping.DateFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Query-side dates: {@link DateFormat} parsing plus rounding up, time zones and date math. */
class DateParserTest {

    private static long millis(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static long down(String text, String format) {
        return DateParser.parse(text, format, false, null);
    }

    private static long up(String text, String format) {
        return DateParser.parse(text, format, true, null);
    }

    @Test
    void roundingDownIsExactlyHowDocumentsWereIndexed() {
        for (String text : List.of("2020", "2020-01", "2020-01-15", "2020-01-15T10", "2020-01-15T10:30:45.123456",
                "2020-01-15T10:30+01:00", "2020-01-15T10:30:45Europe/Paris", "1577836800000", "-1.5")) {
            assertThat(down(text, null)).as(text).isEqualTo(DateFormat.of(null).parseMillis(text));
        }
        assertThat(down("15/01/2020", "dd/MM/yyyy")).isEqualTo(DateFormat.of("dd/MM/yyyy").parseMillis("15/01/2020"));
    }

    @Test
    void roundingUpFillsWhatTheValueLeavesOut() {
        assertThat(up("2020", null)).isEqualTo(millis("2020-12-31T23:59:59.999Z"));
        assertThat(up("2020-02", null)).isEqualTo(millis("2020-02-29T23:59:59.999Z"));
        assertThat(up("2020-01-15", null)).isEqualTo(millis("2020-01-15T23:59:59.999Z"));
        assertThat(up("2020-01-15T10", null)).isEqualTo(millis("2020-01-15T10:59:59.999Z"));
        assertThat(up("2020-01-15T10:30", null)).isEqualTo(millis("2020-01-15T10:30:59.999Z"));
        assertThat(up("2020-01-15T10:30:45", null)).isEqualTo(millis("2020-01-15T10:30:45.999Z"));
        assertThat(up("2020-01-15T10:30:45.5", null)).isEqualTo(millis("2020-01-15T10:30:45.500Z"));
        assertThat(up("2020-01-15T10:30+01:00", null)).isEqualTo(millis("2020-01-15T09:30:59.999Z"));
        // java.time patterns and named formats round the same way
        assertThat(up("15/01/2020", "dd/MM/yyyy")).isEqualTo(millis("2020-01-15T23:59:59.999Z"));
        assertThat(up("01/2020", "MM/yyyy")).isEqualTo(millis("2020-01-31T23:59:59.999Z"));
        assertThat(up("2020-01-15 10:30", "yyyy-MM-dd HH:mm")).isEqualTo(millis("2020-01-15T10:30:59.999Z"));
        assertThat(up("2020-01-15T10", "date_hour")).isEqualTo(millis("2020-01-15T10:59:59.999Z"));
        // epoch values are exact
        assertThat(up("1577836800000", null)).isEqualTo(1577836800000L);
        assertThat(up("1577836800", "epoch_second")).isEqualTo(1577836800000L);
    }

    @Test
    void timeZoneAppliesToValuesWithoutOne() {
        ZoneId plusOne = ZoneId.of("+01:00");
        assertThat(DateParser.parse("2020-01-15T10:00", null, false, plusOne)).isEqualTo(millis("2020-01-15T09:00:00Z"));
        assertThat(DateParser.parse("2020-01-15", null, true, plusOne)).isEqualTo(millis("2020-01-15T22:59:59.999Z"));
        assertThat(DateParser.parse("2020-07-01", null, false, ZoneId.of("Europe/Paris")))
                .isEqualTo(millis("2020-06-30T22:00:00Z"));
        assertThat(DateParser.parse("15/01/2020", "dd/MM/yyyy", false, plusOne)).isEqualTo(millis("2020-01-14T23:00:00Z"));
        // a value's own zone wins; epoch millis have none to apply
        assertThat(DateParser.parse("2020-01-15T10:00Z", null, false, plusOne)).isEqualTo(millis("2020-01-15T10:00:00Z"));
        assertThat(DateParser.parse("1577836800000", null, false, plusOne)).isEqualTo(1577836800000L);
        assertThat(DateParser.parse("2020-01-15T10:00", null, false, ZoneId.of("Etc/UTC")))
                .isEqualTo(millis("2020-01-15T10:00:00Z"));
    }

    @Test
    void dateMath() {
        assertThat(down("2020-01-15||+1M", null)).isEqualTo(millis("2020-02-15T00:00:00Z"));
        assertThat(down("2020-12-31||-1M/M", null)).isEqualTo(millis("2020-11-01T00:00:00Z"));
        assertThat(up("2020-12-31||-1M/M", null)).isEqualTo(millis("2020-11-30T23:59:59.999Z"));
        assertThat(down("2020-01-15T10:30||/w", null)).isEqualTo(millis("2020-01-13T00:00:00Z"));
        assertThat(DateParser.parse("2020-01-15T10:30||/d", null, false, ZoneId.of("+05:00")))
                .isEqualTo(millis("2020-01-14T19:00:00Z"));
        long today = down("now/d", null);
        assertThat(today).isLessThanOrEqualTo(System.currentTimeMillis()).isGreaterThan(System.currentTimeMillis() - 86_400_000L);
        assertThat(up("now/d", null)).isEqualTo(today + 86_400_000L - 1);
    }

    @Test
    void failuresUseElasticsearchWording() {
        String msg = "failed to parse date field [yesterday] with format [strict_date_optional_time||epoch_millis]";
        assertThatThrownBy(() -> down("yesterday", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(msg + ": [" + msg + "]");
        assertThatThrownBy(() -> down("2020-01-15", "yyyy-MM-dd-ffff")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("failed to parse date field [2020-01-15] with format [yyyy-MM-dd-ffff]");
        assertThatThrownBy(() -> down("2020-01-15||+1x", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unit [x] not supported for date math [+1x]");
        assertThatThrownBy(() -> down("now/2d", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rounding `/` can only be used on single unit types [/2d]");
        assertThatThrownBy(() -> down(null, null)).hasMessage("cannot parse empty date");
    }
}
