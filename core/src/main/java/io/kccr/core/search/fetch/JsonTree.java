package io.kccr.core.search.fetch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The tree of what a streaming rendering writes, so that a response type has one rendering (to a generator) and its
 * tree ({@code toJson}) is derived from it, never a second copy that could drift.
 */
public final class JsonTree {
    /** Writes one JSON object to a generator. */
    @FunctionalInterface
    public interface Rendering {
        void writeTo(JsonGenerator json) throws IOException;
    }

    private JsonTree() {
    }

    /** The object {@code rendering} writes, as a tree. */
    public static ObjectNode of(Rendering rendering) {
        try (TokenBuffer buffer = new TokenBuffer(HitFetcher.JSON, false)) {
            rendering.writeTo(buffer);
            return HitFetcher.JSON.readTree(buffer.asParser(HitFetcher.JSON));
        } catch (IOException e) {
            throw new UncheckedIOException("rendering into memory failed", e);
        }
    }
}
