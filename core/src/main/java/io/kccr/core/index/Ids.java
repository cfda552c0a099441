package io.kccr.core.index;

import io.kccr.core.error.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Document ids: random ones in Elasticsearch's style (22 URL-safe base64 characters of a random UUID), and the rules
 * a given one must follow.
 */
public final class Ids {
    private Ids() {
    }

    public static String random() {
        UUID u = UUID.randomUUID();
        byte[] bytes = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits())
                .array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Refuses, as Elasticsearch does (400), an empty id or one longer than 512 bytes in UTF-8. */
    public static void validate(String id) {
        if (id.isEmpty()) {
            throw InvalidRequestException.illegalArgument("if _id is specified it must not be empty");
        }
        int bytes = id.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > 512) {
            throw InvalidRequestException.illegalArgument("id [" + id + "] is too long, must be no longer than 512"
                    + " bytes but was: " + bytes);
        }
    }
}
