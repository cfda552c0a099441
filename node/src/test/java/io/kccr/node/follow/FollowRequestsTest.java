package io.kccr.node.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.error.KccrException;
import io.kccr.follower.FollowParameters;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The follow bodies read as Elasticsearch reads them: sizes and times through the one parser, unknown fields and
 * unreadable values an {@code x_content_parse_exception}, ranges one {@code action_request_validation_exception} in
 * its words, and what a body leaves out back to the default.
 */
class FollowRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FollowParameters parse(String body) throws Exception {
        return FollowRequests.read(JSON.readTree(body), "test_request", Set.of("remote_cluster")).validate()
                .followParameters();
    }

    private static KccrException error(String body) {
        return catchThrowableOfType(KccrException.class, () -> parse(body));
    }

    @Test
    void defaultsRenderAsElasticsearchsAndParseBack() throws Exception {
        assertThat(FollowParameters.DEFAULTS.toJson())
                .containsEntry("max_read_request_size", "32mb")
                .containsEntry("max_write_request_size", "9223372036854775807b")
                .containsEntry("max_write_buffer_size", "512mb")
                .containsEntry("max_retry_delay", "500ms")
                .containsEntry("read_poll_timeout", "1m");
        JsonNode stored = JSON.valueToTree(FollowParameters.DEFAULTS.toJson());
        assertThat(FollowRequests.stored(stored)).isEqualTo(FollowParameters.DEFAULTS);
    }

    @Test
    void sizesAndTimesTakeElasticsearchsUnitsAndRenderInTheirs() throws Exception {
        FollowParameters p = parse("""
                {"max_read_request_size": "1.5MB", "max_write_buffer_size": "2g", "max_retry_delay": "1s",
                 "read_poll_timeout": "120s", "max_read_request_operation_count": "700"}""");
        assertThat(p.maxReadRequestSize().bytes()).isEqualTo(1536L * 1024);
        assertThat(p.maxWriteBufferSize().bytes()).isEqualTo(2L << 30);
        assertThat(p.maxRetryDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.readPollTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(p.maxReadRequestOperationCount()).isEqualTo(700);
        assertThat(p.toJson()).containsEntry("max_read_request_size", "1572864b")
                .containsEntry("max_write_buffer_size", "2gb").containsEntry("max_retry_delay", "1s")
                .containsEntry("read_poll_timeout", "2m");
        assertThat(parse("{}")).isEqualTo(FollowParameters.DEFAULTS);
        assertThat(FollowRequests.read(null, "test_request", Set.of()).validate().followParameters())
                .isEqualTo(FollowParameters.DEFAULTS);
    }

    @Test
    void whatTheBodyLeavesOutIsTheDefaultNotAnEarlierValue() throws Exception {
        FollowParameters p = parse("{\"max_outstanding_read_requests\": 3}");
        assertThat(p).isEqualTo(new FollowParameters(5120, 3, FollowParameters.DEFAULTS.maxReadRequestSize(), 5120,
                FollowParameters.DEFAULTS.maxWriteRequestSize(), 9, Integer.MAX_VALUE,
                FollowParameters.DEFAULTS.maxWriteBufferSize(), Duration.ofMillis(500), Duration.ofMinutes(1)));
    }

    @Test
    void unreadableValuesAndUnknownFieldsAreParseErrorsNamingTheField() {
        KccrException banana = error("{\"max_read_request_size\": \"banana\"}");
        assertThat(banana.type()).isEqualTo("x_content_parse_exception");
        assertThat(banana.reason()).isEqualTo("[test_request] failed to parse field [max_read_request_size]");
        assertThat(((KccrException) banana.getCause()).type()).isEqualTo("parse_exception");
        assertThat(banana.getCause().getMessage())
                .contains("failed to parse setting [max_read_request_size] with value [banana] as a size in bytes");
        assertThat(error("{\"max_retry_delay\": \"10\"}").getCause().getMessage())
                .contains("[max_retry_delay] with value [10] as a time value: unit is missing");
        assertThat(error("{\"max_retry_delay\": \"1.5s\"}").getCause().getMessage())
                .contains("fractional time values are not supported");
        KccrException notANumber = error("{\"max_write_buffer_count\": \"many\"}");
        assertThat(notANumber.reason()).isEqualTo("[test_request] failed to parse field [max_write_buffer_count]");
        assertThat(notANumber.getCause()).isInstanceOf(NumberFormatException.class);
        assertThat(error("{\"max_write_buffer_count\": 3000000000}").type()).isEqualTo("x_content_parse_exception");
        KccrException object = error("{\"read_poll_timeout\": {}}");
        assertThat(object.reason()).isEqualTo("[test_request] read_poll_timeout doesn't support values of type:"
                + " START_OBJECT");
        KccrException unknown = error("{\"max_read_request_ops\": 1}");
        assertThat(unknown.type()).isEqualTo("x_content_parse_exception");
        assertThat(unknown.reason()).isEqualTo("[test_request] unknown field [max_read_request_ops]");
    }

    @Test
    void rangesAreOneValidationErrorInElasticsearchsWords() {
        KccrException e = catchThrowableOfType(KccrException.class, () -> FollowRequests.read(JSON.readTree("""
                {"max_outstanding_read_requests": 0, "max_write_request_size": "0b", "max_retry_delay": "10m",
                 "max_read_request_operation_count": -5}"""), "test_request", Set.of("remote_cluster"))
                .require("remote_cluster").validate());
        assertThat(e.type()).isEqualTo("action_request_validation_exception");
        assertThat(e.reason()).isEqualTo("Validation Failed: 1: remote_cluster is missing;"
                + "2: max_read_request_operation_count must be larger than 0;"
                + "3: max_outstanding_read_requests must be larger than 0;"
                + "4: max_write_request_size must be larger than 0;"
                + "5: [max_retry_delay] must be less than [5m] but was [10m];");
        assertThat(error("{\"max_retry_delay\": \"0s\"}").reason())
                .isEqualTo("Validation Failed: 1: [max_retry_delay] must be positive but was [0s];");
        assertThat(error("{\"read_poll_timeout\": \"-1\"}").type()).isEqualTo("action_request_validation_exception");
    }

    @Test
    void timeoutParameter() {
        KccrException e = catchThrowableOfType(KccrException.class, () -> FollowRequests.timeout("soon", Duration.ZERO));
        assertThat(e.type()).isEqualTo("illegal_argument_exception");
        assertThat(FollowRequests.timeout(null, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(FollowRequests.timeout("90s", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
    }
}
