package io.kccr.node.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The roles every cluster has, which cannot be changed or deleted: Elasticsearch's {@code superuser},
 * {@code viewer} and {@code editor} (as this node's APIs need them), and {@code remote_replication}, exactly the
 * leader-side privileges a follower cluster needs ({@code read_ccr}, and {@code monitor} and {@code read} on the
 * leader indices).
 */
public final class BuiltinRoles {
    private static final Map<String, Object> RESERVED = Map.of("_reserved", true);

    public static final Map<String, RoleDescriptor> ALL = roles();

    private BuiltinRoles() {
    }

    private static Map<String, RoleDescriptor> roles() {
        Map<String, RoleDescriptor> out = new LinkedHashMap<>();
        out.put("superuser", new RoleDescriptor(List.of("all"), List.of(new RoleDescriptor.IndicesPrivileges(
                List.of("*"), List.of("all"), true)), RESERVED));
        out.put("viewer", new RoleDescriptor(List.of("monitor"), List.of(new RoleDescriptor.IndicesPrivileges(
                List.of("*"), List.of("read", "view_index_metadata", "monitor"), false)), RESERVED));
        out.put("editor", new RoleDescriptor(List.of("monitor", "manage_own_api_key"), List.of(
                new RoleDescriptor.IndicesPrivileges(List.of("*"), List.of("read", "view_index_metadata", "monitor",
                        "write", "maintenance", "create_index"), false)), RESERVED));
        out.put("remote_replication", new RoleDescriptor(List.of("read_ccr"), List.of(
                new RoleDescriptor.IndicesPrivileges(List.of("*"), List.of("monitor", "read"), false)), RESERVED));
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The built-in role {@code name}, if there is one. */
    public static Optional<RoleDescriptor> get(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    public static boolean isBuiltin(String name) {
        return ALL.containsKey(name);
    }
}
