package io.kccr.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScrollIdTest {
    private static final ScrollId ID = new ScrollId("node-a", "0b7e3c8e-2c5a-4a33-9d8e-2f1c1c7e4d10", "logs");

    @Test
    void anIdReadsBackAsItWasWritten() {
        String encoded = ID.encode();
        assertThat(encoded).matches("[A-Za-z0-9_-]+");
        assertThat(ScrollId.isClusterId(encoded)).isTrue();
        assertThat(ScrollId.decode(encoded)).isEqualTo(ID);
    }

    @Test
    void aScrollOfOneNodeIsNotOne() {
        String local = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("scroll:0b7e3c8e-2c5a-4a33-9d8e-2f1c1c7e4d10".getBytes(StandardCharsets.UTF_8));
        assertThat(ScrollId.isClusterId(local)).isFalse();
        assertThat(ScrollId.isClusterId("not base64!")).isFalse();
    }

    @Test
    void aMalformedIdOrAPointInTimesIsElasticsearchs400() {
        String pit = new PitId("logs", List.of(new PitId.Part("a", "c", List.of(0), List.of(3)))).encode();
        for (String bad : List.of(pit, encode("{\"k\":\"scroll\",\"n\":\"a\",\"c\":\"c\"}"),
                encode("{\"k\":\"scroll\",\"n\":\"a\",\"c\":1,\"i\":\"logs\"}"), encode("{not json"), "%%%")) {
            assertThatThrownBy(() -> ScrollId.decode(bad)).as(bad).isInstanceOf(InvalidRequestException.class)
                    .satisfies(e -> assertThat(((InvalidRequestException) e).type())
                            .isEqualTo("illegal_argument_exception"))
                    .hasMessageContaining("Cannot parse scroll id");
        }
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
