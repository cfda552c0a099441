package io.kccr.node.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.KccrException;
import io.kccr.follower.FollowParameters;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The follow tuning parameters: sizes and times through the one parser, bad values a 400 naming them. */
class FollowRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FollowParameters parse(String body) throws Exception {
        return FollowRequests.parameters(JSON.readTree(body), FollowParameters.DEFAULTS);
    }

    @Test
    void defaultsRenderAsElasticsearchsAndParseBack() throws Exception {
        assertThat(FollowParameters.DEFAULTS.toJson())
                .containsEntry("max_read_request_size", "32mb")
                .containsEntry("max_write_request_size", "9223372036854775807b")
                .containsEntry("max_write_buffer_size", "512mb")
                .containsEntry("max_retry_delay", "500ms")
                .containsEntry("read_poll_timeout", "60000ms");
        JsonNode stored = JSON.valueToTree(FollowParameters.DEFAULTS.toJson());
        assertThat(FollowRequests.parameters(stored, FollowParameters.DEFAULTS)).isEqualTo(FollowParameters.DEFAULTS);
    }

    @Test
    void sizesAndTimesTakeElasticsearchsUnits() throws Exception {
        FollowParameters p = parse("""
                {"max_read_request_size": "1.5MB", "max_write_buffer_size": "2g", "max_retry_delay": "1s",
                 "read_poll_timeout": "2m", "max_read_request_operation_count": "700"}""");
        assertThat(p.maxReadRequestSize().bytes()).isEqualTo(1536L * 1024);
        assertThat(p.maxWriteBufferSize().bytes()).isEqualTo(2L << 30);
        assertThat(p.maxRetryDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.readPollTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(p.maxReadRequestOperationCount()).isEqualTo(700);
        assertThat(p.toJson()).containsEntry("max_read_request_size", "1572864b")
                .containsEntry("max_write_buffer_size", "2gb").containsEntry("max_retry_delay", "1000ms");
        assertThat(parse("{}")).isEqualTo(FollowParameters.DEFAULTS);
    }

    @Test
    void badValuesAreA400NamingTheParameter() {
        assertThatThrownBy(() -> parse("{\"max_read_request_size\": \"lots\"}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("[max_read_request_size] with value [lots] as a size in bytes");
        assertThatThrownBy(() -> parse("{\"max_write_request_size\": \"0b\"}"))
                .hasMessage("[max_write_request_size] must be larger than 0, got [0b]");
        assertThatThrownBy(() -> parse("{\"max_retry_delay\": \"10\"}"))
                .hasMessageContaining("[max_retry_delay] with value [10] as a time value: unit is missing");
        assertThatThrownBy(() -> parse("{\"read_poll_timeout\": \"-1\"}"))
                .hasMessageStartingWith("[read_poll_timeout] must not be negative, got [-1]");
        assertThatThrownBy(() -> parse("{\"max_retry_delay\": \"1.5s\"}"))
                .hasMessageContaining("fractional time values are not supported");
        assertThatThrownBy(() -> parse("{\"max_outstanding_read_requests\": 0}"))
                .hasMessage("[max_outstanding_read_requests] must be larger than 0, got [0]");
        KccrException e = catchThrowableOfType(KccrException.class, () -> FollowRequests.timeout("soon", Duration.ZERO));
        assertThat(e.type()).isEqualTo("illegal_argument_exception");
        assertThat(FollowRequests.timeout(null, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(FollowRequests.timeout("90s", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
    }
}
