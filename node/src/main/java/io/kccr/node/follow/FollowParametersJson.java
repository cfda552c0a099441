package io.kccr.node.follow;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.kccr.follower.FollowParameters;
import java.io.IOException;

/**
 * {@link FollowParameters} in the state files, as the follow APIs name them ({@link FollowParameters#toJson}):
 * written as that object, read with the request parser over the defaults, so a parameter a file lacks takes
 * Elasticsearch's default. Stateless.
 */
public final class FollowParametersJson {
    private FollowParametersJson() {
    }

    /** Writes the parameters as {@code _ccr/info} shows them. */
    public static final class Writer extends JsonSerializer<FollowParameters> {
        @Override
        public void serialize(FollowParameters value, JsonGenerator json, SerializerProvider provider)
                throws IOException {
            provider.defaultSerializeValue(value.toJson(), json);
        }
    }

    /** Reads what {@link Writer} wrote (and what earlier versions wrote: the same object). */
    public static final class Reader extends JsonDeserializer<FollowParameters> {
        @Override
        public FollowParameters deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = parser.readValueAsTree();
            return FollowRequests.stored(node);
        }
    }
}
