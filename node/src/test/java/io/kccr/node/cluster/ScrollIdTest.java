package io.kccr.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrollIdTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PitId PIT = new PitId("logs", List.of(
            new PitId.Part("node-a", "c1", List.of(0, 2), List.of(7, 9)),
            new PitId.Part("node-b", "c2", List.of(1), List.of(4))));
    private static final ScrollId FIRST = new ScrollId(PIT, JSON.createObjectNode().put("size", 7),
            Map.of("allow_partial_search_results", "false"), true, 7, null, false, Duration.ofMinutes(1));

    @Test
    void anIdCarriesWhereTheScrollStandsAndReadsBackAsItWasWritten() {
        ScrollId second = FIRST.next(JSON.createArrayNode().add(42).add(17));
        ScrollId last = second.keepAlive(Duration.ofSeconds(30)).next(null);
        for (ScrollId id : List.of(FIRST, second, last)) {
            String encoded = id.encode();
            assertThat(encoded).matches("[A-Za-z0-9_-]+");
            assertThat(ScrollId.isClusterId(encoded)).isTrue();
            assertThat(ScrollId.decode(encoded)).isEqualTo(id);
        }
        assertThat(FIRST.after()).as("nothing read yet").isNull();
        assertThat(second.after()).hasToString("[42,17]");
        assertThat(second.done()).isFalse();
        assertThat(last.done()).as("a short page ends it").isTrue();
        assertThat(last.after()).as("where it ended").hasToString("[42,17]");
        assertThat(last.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(last.pit()).isEqualTo(PIT);
        assertThat(last.index()).isEqualTo("logs");
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
        String good = new String(Base64.getUrlDecoder().decode(FIRST.encode()), StandardCharsets.UTF_8);
        for (String bad : List.of(pit, encode("{\"k\":\"scroll\",\"n\":\"a\",\"c\":\"c\"}"),
                encode(good.replace("\"z\":7", "\"z\":-1")), encode(good.replace("\"t\":60000", "\"t\":0")),
                encode(good.replace("\"i\":\"logs\",", "")), encode("{not json"), "%%%")) {
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
