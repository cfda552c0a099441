package io.kccr.node.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An API key as the security topic stores it: its secret only as a bcrypt hash.
 *
 * @param type            {@code rest} or {@code cross_cluster}
 * @param keyHash         bcrypt of the key's secret part; never shown by any API
 * @param creation        when it was made, epoch millis
 * @param expiration      when it stops authenticating (epoch millis), or null for never
 * @param invalidation    when it was invalidated (epoch millis), or null
 * @param invalidated     whether {@code DELETE /_security/api_key} invalidated it
 * @param username        who created it
 * @param roleDescriptors the key's own roles (a REST key; empty means the creator's), by name
 * @param limitedBy       the creator's roles when the key was made: the key never allows more
 * @param replication     a cross-cluster key's {@code access.replication} index name patterns
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKey(String id, String name, String type, @JsonProperty("key_hash") String keyHash,
                     long creation, Long expiration, boolean invalidated, Long invalidation,
                     String username, String realm,
                     @JsonProperty("role_descriptors") Map<String, RoleDescriptor> roleDescriptors,
                     @JsonProperty("limited_by") Map<String, RoleDescriptor> limitedBy,
                     List<String> replication, Map<String, Object> metadata) {
    public static final String REST = "rest";
    public static final String CROSS_CLUSTER = "cross_cluster";
    /**
     * A node's key for calling the other nodes of its cluster (internal: made by the node at each start, never
     * listed or invalidated through the API key endpoints).
     */
    public static final String NODE = "_kccr_node";

    public ApiKey {
        roleDescriptors = roleDescriptors == null ? Map.of() : Map.copyOf(roleDescriptors);
        limitedBy = limitedBy == null ? Map.of() : Map.copyOf(limitedBy);
        replication = replication == null ? List.of() : List.copyOf(replication);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** Whether it has expired at {@code now}. */
    public boolean expired(Instant now) {
        return expiration != null && now.toEpochMilli() >= expiration;
    }

    public ApiKey invalidate(Instant now) {
        return new ApiKey(id, name, type, keyHash, creation, expiration, true, now.toEpochMilli(), username, realm, roleDescriptors,
                limitedBy, replication, metadata);
    }

    /** The key as {@code GET /_security/api_key} shows it: everything but the hash. */
    public Map<String, Object> view() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("id", id);
        out.put("name", name);
        out.put("type", type);
        out.put("creation", creation);
        if (expiration != null) {
            out.put("expiration", expiration);
        }
        out.put("invalidated", invalidated);
        if (invalidation != null) {
            out.put("invalidation", invalidation);
        }
        out.put("username", username);
        out.put("realm", realm);
        out.put("metadata", metadata);
        out.put("role_descriptors", roleDescriptors);
        if (CROSS_CLUSTER.equals(type)) {
            out.put("access", Map.of("replication", List.of(Map.of("names", replication))));
        }
        return out;
    }

    /** Masks the hash. */
    @Override
    public String toString() {
        return "ApiKey[" + id + ", " + name + ", type=" + type + ", invalidated=" + invalidated + "]";
    }
}
