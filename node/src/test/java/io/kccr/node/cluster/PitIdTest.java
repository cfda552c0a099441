package io.kccr.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class PitIdTest {
    private static final PitId ID = new PitId("logs", List.of(
            new PitId.Part("node-a", "Y3R4LTE", List.of(0, 2), List.of(10, 0)),
            new PitId.Part("node-b", "Y3R4LTI", List.of(1), List.of(7))));

    @Test
    void anIdReadsBackAsItWasWritten() {
        String encoded = ID.encode();
        assertThat(encoded).matches("[A-Za-z0-9_-]+");
        assertThat(PitId.isClusterId(encoded)).isTrue();
        assertThat(PitId.decode(encoded)).isEqualTo(ID);
        assertThat(ID.maxDocs(3)).containsExactly(10, 7, 0);
    }

    @Test
    void aPointInTimeOfOneNodeIsNotOne() {
        String local = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("pit:0b7e3c8e-2c5a-4a33-9d8e-2f1c1c7e4d10".getBytes(StandardCharsets.UTF_8));
        assertThat(PitId.isClusterId(local)).isFalse();
        assertThat(PitId.isClusterId("not base64!")).isFalse();
    }

    @Test
    void aMalformedIdIsElasticsearchs400() {
        for (String bad : List.of(encode("{\"i\":\"logs\"}"), encode("{\"i\":\"logs\",\"p\":[{\"n\":\"a\"}]}"),
                encode("{\"i\":\"logs\",\"p\":[{\"n\":\"a\",\"c\":\"c\",\"s\":[0,1],\"m\":[3]}]}"),
                encode("{\"i\":\"logs\",\"p\":[{\"n\":\"a\",\"c\":\"c\",\"s\":[-1],\"m\":[3]}]}"),
                encode("{not json"), "%%%")) {
            assertThatThrownBy(() -> PitId.decode(bad)).as(bad).isInstanceOf(InvalidRequestException.class)
                    .satisfies(e -> assertThat(((InvalidRequestException) e).type())
                            .isEqualTo("illegal_argument_exception"))
                    .hasMessageContaining("invalid point in time id");
        }
    }

    @Test
    void anIdMustPinEveryShardOfTheIndexOnce() {
        assertThatThrownBy(() -> ID.maxDocs(4)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("pins no copy of shard [3]");
        PitId twice = new PitId("logs", List.of(new PitId.Part("a", "c", List.of(0, 1), List.of(1, 1)),
                new PitId.Part("b", "d", List.of(1), List.of(1))));
        assertThatThrownBy(() -> twice.maxDocs(2)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("named twice");
    }

    private static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}
