package io.kccr.node.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
    @Test
    void rangesWithinTheFile() {
        assertThat(ByteRange.parse("bytes=10-99", 1000)).isEqualTo(new ByteRange(10, 99, 1000));
        assertThat(ByteRange.parse("bytes=10-99", 1000).size()).isEqualTo(90);
        assertThat(ByteRange.parse("bytes=10-99", 1000).contentRange()).isEqualTo("bytes 10-99/1000");
        assertThat(ByteRange.parse("bytes=0-0", 1)).isEqualTo(new ByteRange(0, 0, 1));
        assertThat(ByteRange.parse("bytes=990-", 1000)).isEqualTo(new ByteRange(990, 999, 1000));
        assertThat(ByteRange.parse("bytes=-10", 1000)).isEqualTo(new ByteRange(990, 999, 1000));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).isEqualTo(new ByteRange(0, 999, 1000));
        assertThat(ByteRange.parse(" bytes=990-5000 ", 1000)).as("an end past the file is cut")
                .isEqualTo(new ByteRange(990, 999, 1000));
    }

    @Test
    void anythingElseIs416() {
        for (String header : new String[] {"bytes=1000-1001", "bytes=1000-", "bytes=20-10", "bytes=-0", "bytes=-",
                "bytes=0-1,3-4", "bytes=a-b", "items=0-1", "bytes=99999999999999999999-", "", "bytes 0-1"}) {
            assertThatThrownBy(() -> ByteRange.parse(header, 1000)).as("[%s]", header)
                    .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(416));
        }
        assertThatThrownBy(() -> ByteRange.parse("bytes=0-", 0)).isInstanceOf(HttpError.class);
    }
}
