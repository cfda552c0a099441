package io.kccr.node.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A role as Elasticsearch describes it: cluster privileges, and index privileges on index name patterns. The wire
 * and stored shape is Elasticsearch's ({@code {"cluster":[...],"indices":[{"names":[...],"privileges":[...]}]}}).
 *
 * @param cluster  cluster privilege names ({@link Privileges#CLUSTER})
 * @param indices  index privileges per group of index name patterns
 * @param metadata free-form, kept and shown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoleDescriptor(List<String> cluster, List<IndicesPrivileges> indices, Map<String, Object> metadata) {

    /** Index privileges on the indices {@code names} matches (exact names or {@code *} patterns). */
    public record IndicesPrivileges(List<String> names, List<String> privileges,
                                    @JsonProperty("allow_restricted_indices") boolean allowRestrictedIndices) {
        public IndicesPrivileges {
            names = List.copyOf(names);
            privileges = List.copyOf(privileges);
        }
    }

    public RoleDescriptor {
        cluster = cluster == null ? List.of() : List.copyOf(cluster);
        indices = indices == null ? List.of() : List.copyOf(indices);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    private static final Set<String> FIELDS = Set.of("cluster", "indices", "metadata", "description", "run_as",
            "applications", "transient_metadata");
    private static final Set<String> INDEX_FIELDS = Set.of("names", "privileges", "allow_restricted_indices");

    /**
     * Parses and checks a role from a request body, as Elasticsearch does.
     *
     * @param name the role's name, for messages
     * @throws io.kccr.core.error.KccrException 400 for an unknown field, a wrong type, an unknown privilege name, an
     *                                          index entry without names or privileges, or anything this node does
     *                                          not support ({@code run_as}, application privileges, field or
     *                                          document level security)
     */
    public static RoleDescriptor parse(String name, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw InvalidRequestException.parse("failed to parse role [" + name + "]. expected an object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw InvalidRequestException.parse("failed to parse role [" + name + "]. unexpected field [" + field
                        + "]; a role takes " + FIELDS.stream().sorted().toList());
            }
        }
        if (!emptyArray(body.get("run_as")) || !emptyArray(body.get("applications"))) {
            throw InvalidRequestException.illegalArgument("role [" + name + "]: run_as and application privileges"
                    + " are not supported; leave them out");
        }
        List<String> cluster = strings(name, body, "cluster");
        Privileges.validateCluster(cluster);
        List<IndicesPrivileges> indices = new ArrayList<>();
        JsonNode idx = body.get("indices");
        if (idx != null && !idx.isNull()) {
            if (!idx.isArray()) {
                throw InvalidRequestException.parse("failed to parse role [" + name + "]. [indices] must be an array");
            }
            for (JsonNode entry : idx) {
                indices.add(parseIndices(name, entry));
            }
        }
        Map<String, Object> metadata = body.has("metadata") && body.get("metadata").isObject()
                ? SecurityJson.MAPPER.convertValue(body.get("metadata"), SecurityJson.MAP) : Map.of();
        return new RoleDescriptor(cluster, indices, metadata);
    }

    private static IndicesPrivileges parseIndices(String role, JsonNode entry) {
        if (!entry.isObject()) {
            throw InvalidRequestException.parse("failed to parse indices privileges for role [" + role
                    + "]. expected an object");
        }
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!INDEX_FIELDS.contains(field)) {
                throw InvalidRequestException.parse("failed to parse indices privileges for role [" + role
                        + "]. unexpected field [" + field + "]" + (field.equals("query") || field.equals(
                        "field_security") ? ": document and field level security are not supported" : ""));
            }
        }
        List<String> names = entry.path("names").isTextual() ? List.of(entry.get("names").asText())
                : strings(role, entry, "names");
        List<String> privileges = strings(role, entry, "privileges");
        if (names.isEmpty()) {
            throw InvalidRequestException.parse("failed to parse indices privileges for role [" + role
                    + "]. missing required [names] field");
        }
        if (privileges.isEmpty()) {
            throw InvalidRequestException.parse("failed to parse indices privileges for role [" + role
                    + "]. missing required [privileges] field");
        }
        Privileges.validateIndex(privileges);
        return new IndicesPrivileges(names, privileges, entry.path("allow_restricted_indices").asBoolean(false));
    }

    private static boolean emptyArray(JsonNode node) {
        return node == null || node.isNull() || node.isArray() && node.isEmpty();
    }

    static List<String> strings(String role, JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw InvalidRequestException.parse("failed to parse role [" + role + "]. [" + field
                    + "] must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : node) {
            if (!v.isTextual() || v.asText().isEmpty()) {
                throw InvalidRequestException.parse("failed to parse role [" + role + "]. [" + field
                        + "] must be an array of non-empty strings");
            }
            out.add(v.asText());
        }
        return out;
    }
}
