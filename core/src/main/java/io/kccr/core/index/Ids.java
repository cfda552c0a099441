package io.kccr.core.index;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/** Random identifiers in Elasticsearch's style: 22 URL-safe base64 characters of a random UUID. */
public final class Ids {
    private Ids() {
    }

    public static String random() {
        UUID u = UUID.randomUUID();
        byte[] bytes = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits())
                .array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
