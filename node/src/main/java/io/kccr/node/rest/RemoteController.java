package io.kccr.node.rest;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kccr.core.settings.Setting;
import io.kccr.node.settings.ClusterScopeSettings;
import io.kccr.node.settings.ClusterSettings;
import io.kccr.node.settings.KnownSettings;
import io.kccr.node.settings.NodeSettings;
import io.kccr.node.settings.RemoteClusterSettings;
import io.kccr.node.remote.RemoteClusters;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Cluster settings and remote clusters, in Elasticsearch's shapes: {@code GET/PUT /_cluster/settings},
 * {@code GET /_remote/info}, and {@code GET /_kccr/cluster} (what a follower asks a seed for). Client IO only: the
 * logic is in {@link ClusterSettings} and {@link RemoteClusters}.
 */
final class RemoteController {
    /** Shown instead of the value of a secret-looking setting (password, jaas, token, ...). */
    static final String REDACTED = "::es_redacted::";

    private final RemoteClusters remotes;
    private final String clusterName;
    private final String clusterUuid;
    private final String nodeName;
    private final String kafkaBootstrapServers;
    private final String topicPrefix;

    RemoteController(RemoteClusters remotes, String clusterName, String clusterUuid, String nodeName,
                     String kafkaBootstrapServers) {
        this.remotes = remotes;
        this.clusterName = clusterName;
        this.clusterUuid = clusterUuid;
        this.nodeName = nodeName;
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.topicPrefix = remotes.settings().nodeSettings().topicPrefix();
    }

    /** {@code GET /_kccr/cluster}: this cluster's identity and Kafka side, for followers configured with seeds. */
    void kccrCluster(Context ctx) {
        Responses.json(ctx, 200, new RemoteResponses.ClusterIdentity(nodeName, clusterName, clusterUuid,
                new RemoteResponses.Kafka(kafkaBootstrapServers, topicPrefix)));
    }

    /** {@code GET /_cluster/settings[?flat_settings][&include_defaults]}. */
    void getSettings(Context ctx) {
        ClusterSettings settings = remotes.settings();
        settings.catchUp(); // shows what was set through another node just before
        boolean flat = flag(ctx, "flat_settings");
        Set<String> pLists = settings.lists(ClusterSettings.Scope.PERSISTENT);
        Set<String> tLists = settings.lists(ClusterSettings.Scope.TRANSIENT);
        Responses.json(ctx, 200, new RemoteResponses.Settings(render(settings.persistent(), flat, pLists::contains),
                render(settings.transientSettings(), flat, tLists::contains),
                flag(ctx, "include_defaults") ? render(defaults(settings), flat, RemoteController::isListSetting)
                        : null));
    }

    /** {@code PUT /_cluster/settings}: {@code {"persistent":{...},"transient":{...}}}, nested or dotted keys. */
    void putSettings(Context ctx) {
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        Map<String, String> persistent = new LinkedHashMap<>();
        Map<String, String> transient_ = new LinkedHashMap<>();
        Set<String> lists = new HashSet<>(); // "persistent:key" or "transient:key" of the values given as lists
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            Map<String, String> target = switch (field.getKey()) {
                case "persistent" -> persistent;
                case "transient" -> transient_;
                default -> throw InvalidRequestException.contentParse("[cluster_update_settings_request] unknown field [" + field.getKey() + "]; the body takes "
                                + "\"persistent\" and \"transient\" objects of settings");
            };
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isObject()) {
                throw InvalidRequestException.parse("[" + field.getKey() + "] must be an object of settings, got "
                        + value.getNodeType());
            }
            flatten(field.getKey(), "", value, target, lists);
        }
        if (persistent.isEmpty() && transient_.isEmpty()) {
            throw InvalidRequestException.validation("Validation Failed: 1: no settings to update;");
        }
        Set<String> pLists = scoped(lists, "persistent");
        Set<String> tLists = scoped(lists, "transient");
        try {
            remotes.settings().update(persistent, pLists, transient_, tLists);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.illegalArgument(e.getMessage());
        }
        boolean flat = flag(ctx, "flat_settings");
        Responses.json(ctx, 200, new RemoteResponses.SettingsUpdated(true,
                render(withoutNulls(persistent), flat, pLists::contains),
                render(withoutNulls(transient_), flat, tLists::contains)));
    }

    /** {@code GET /_remote/info}: every configured remote, checked now (in parallel, a few seconds at most). */
    void remoteInfo(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, String> current = remotes.settings().current();
        remotes.statuses().forEach((name, status) -> out.put(name, "proxy".equals(
                RemoteClusterSettings.MODE.forName(name).get(current))
                ? RemoteResponses.ProxyRemoteInfo.of(status, current)
                : RemoteResponses.RemoteInfo.of(status, current)));
        Responses.json(ctx, 200, out);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static boolean flag(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v != null && !v.equals("false");
    }

    private static Map<String, String> withoutNulls(Map<String, String> settings) {
        Map<String, String> out = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The keys of {@code scope} among {@code lists} ({@code scope:key} entries). */
    private static Set<String> scoped(Set<String> lists, String scope) {
        Set<String> out = new HashSet<>();
        lists.forEach(k -> {
            if (k.startsWith(scope + ":")) {
                out.add(k.substring(scope.length() + 1));
            }
        });
        return out;
    }

    /**
     * Flattens one scope of a request body into dotted keys; values become text, lists are joined with ',' and
     * recorded in {@code lists} as {@code scope:key}, so that they are shown as lists again, as Elasticsearch shows
     * a value in the shape it was given. A list for a setting that takes one value is refused, as there.
     */
    private static void flatten(String scope, String prefix, JsonNode node, Map<String, String> out,
                                Set<String> lists) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(scope, key + ".", value, out, lists);
                continue;
            }
            if (value.isArray()) {
                if (!isListSetting(key) && known(key)) {
                    throw InvalidRequestException.illegalArgument("Found list type value for setting [" + key
                            + "] but but did not expect a list for it; give it one value");
                }
                lists.add(scope + ":" + key);
            }
            String text;
            if (value.isNull()) {
                text = null;
            } else if (value.isArray()) {
                StringBuilder sb = new StringBuilder();
                for (JsonNode item : value) {
                    if (!item.isValueNode() || item.isNull()) {
                        throw InvalidRequestException.illegalArgument(scope + " setting [" + key
                                + "] must be a value or a list of values");
                    }
                    if (!sb.isEmpty()) {
                        sb.append(',');
                    }
                    sb.append(item.asText());
                }
                text = sb.toString();
            } else {
                text = value.asText();
            }
            if (out.containsKey(key)) {
                throw InvalidRequestException.illegalArgument("duplicate " + scope + " setting [" + key + "]");
            }
            out.put(key, text);
        }
    }

    /**
     * Settings as Elasticsearch renders them: nested objects by default, flat dotted keys with
     * {@code flat_settings}; each value in the shape it was given ({@code isList}: as a list, else a string),
     * secret-looking values redacted.
     */
    static ObjectNode render(Map<String, String> settings, boolean flat, Predicate<String> isList) {
        ObjectNode root = Json.object();
        for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
            String key = e.getKey();
            JsonNode value = value(key, e.getValue(), isList.test(key));
            if (flat) {
                root.set(key, value);
                continue;
            }
            ObjectNode at = root;
            String[] parts = key.split("\\.");
            int i = 0;
            for (; i < parts.length - 1; i++) {
                JsonNode child = at.get(parts[i]);
                if (child == null) {
                    at = at.putObject(parts[i]);
                } else if (child.isObject()) {
                    at = (ObjectNode) child;
                } else {
                    break; // "a.b" holds a value and "a.b.c" is set too: keep the rest dotted here
                }
            }
            String rest = String.join(".", java.util.Arrays.copyOfRange(parts, i, parts.length));
            if (at.has(rest)) {
                rest = key; // cannot happen with valid keys; never lose a setting
                at = root;
            }
            at.set(rest, value);
        }
        return root;
    }

    /** Whether {@code key} is a known setting that takes a list (e.g. seeds). */
    private static boolean isListSetting(String key) {
        return definition(key).filter(d -> d.type() == Setting.Type.LIST).isPresent();
    }

    private static boolean known(String key) {
        return definition(key).isPresent();
    }

    private static Optional<Setting<?>> definition(String key) {
        try {
            return KnownSettings.forKey(key);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static JsonNode value(String key, String value, boolean list) {
        if (NodeSettings.isSecretKey(key)) {
            return Json.MAPPER.getNodeFactory().textNode(REDACTED);
        }
        if (list) {
            ArrayNode items = Json.MAPPER.createArrayNode();
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
            return items;
        }
        return Json.MAPPER.getNodeFactory().textNode(value);
    }

    /**
     * {@code include_defaults}: every setting not set persistently or transiently, with its node-level value
     * ({@code -E} / YAML) or its default.
     */
    private static Map<String, String> defaults(ClusterSettings settings) {
        NodeSettings node = settings.nodeSettings();
        Map<String, String> out = new TreeMap<>();
        for (Setting<?> s : NodeSettings.definitions()) {
            node.get(s.key()).ifPresent(v -> out.put(s.key(), v));
        }
        for (Setting<?> s : ClusterScopeSettings.ALL) {
            s.defaultValue().ifPresent(v -> out.put(s.key(), v));
        }
        out.putAll(node.asMap());
        out.keySet().removeAll(settings.persistent().keySet());
        out.keySet().removeAll(settings.transientSettings().keySet());
        return out;
    }
}
