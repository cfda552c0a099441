package io.kccr.node.security;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** The JSON mapper of the security records as the security topic stores them. */
final class SecurityJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private SecurityJson() {
    }
}
