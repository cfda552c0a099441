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
import io.kccr.node.remote.RemoteClusters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
        boolean flat = flag(ctx, "flat_settings");
        Responses.json(ctx, 200, new RemoteResponses.Settings(render(settings.persistent(), flat),
                render(settings.transientSettings(), flat),
                flag(ctx, "include_defaults") ? render(defaults(settings), flat) : null));
    }

    /** {@code PUT /_cluster/settings}: {@code {"persistent":{...},"transient":{...}}}, nested or dotted keys. */
    void putSettings(Context ctx) {
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        Map<String, String> persistent = new LinkedHashMap<>();
        Map<String, String> transient_ = new LinkedHashMap<>();
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
            flatten(field.getKey(), "", value, target);
        }
        if (persistent.isEmpty() && transient_.isEmpty()) {
            throw InvalidRequestException.validation("Validation Failed: 1: no settings to update;");
        }
        try {
            remotes.settings().update(persistent, transient_);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.illegalArgument( e.getMessage());
        }
        boolean flat = flag(ctx, "flat_settings");
        Responses.json(ctx, 200, new RemoteResponses.SettingsUpdated(true, render(withoutNulls(persistent), flat),
                render(withoutNulls(transient_), flat)));
    }

    /** {@code GET /_remote/info}: every configured remote, checked now (in parallel, a few seconds at most). */
    void remoteInfo(Context ctx) {
        Map<String, RemoteResponses.RemoteInfo> out = new LinkedHashMap<>();
        remotes.statuses().forEach((name, status) -> out.put(name, RemoteResponses.RemoteInfo.of(status)));
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

    /** Flattens one scope of a request body into dotted keys; values become text, lists are joined with ','. */
    private static void flatten(String scope, String prefix, JsonNode node, Map<String, String> out) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(scope, key + ".", value, out);
                continue;
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
     * {@code flat_settings}; string values, list settings (seeds) as arrays, secret-looking values redacted.
     */
    static ObjectNode render(Map<String, String> settings, boolean flat) {
        ObjectNode root = Json.object();
        for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
            String key = e.getKey();
            JsonNode value = value(key, e.getValue());
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

    private static JsonNode value(String key, String value) {
        if (NodeSettings.isSecretKey(key)) {
            return Json.MAPPER.getNodeFactory().textNode(REDACTED);
        }
        Optional<Setting<?>> def;
        try {
            def = KnownSettings.forKey(key);
        } catch (IllegalArgumentException e) {
            def = Optional.empty();
        }
        if (def.isPresent() && def.get().type() == Setting.Type.LIST) {
            ArrayNode list = Json.MAPPER.createArrayNode();
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    list.add(item.strip());
                }
            }
            return list;
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
