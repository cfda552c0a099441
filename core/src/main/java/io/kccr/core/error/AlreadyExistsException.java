package io.kccr.core.error;

import java.util.Map;

/** {@code resource_already_exists_exception}: an index (or follower) of that name exists already. */
public final class AlreadyExistsException extends KccrException {

    public AlreadyExistsException(String index, String uuid) {
        super("resource_already_exists_exception", "index [" + index + "/" + uuid + "] already exists",
                Map.of("index_uuid", uuid, "index", index), null);
    }
}
