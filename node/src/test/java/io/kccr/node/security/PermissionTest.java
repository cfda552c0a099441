package io.kccr.node.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.error.AuthorizationException;
import io.kccr.core.error.InvalidRequestException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Elasticsearch's privileges as actions: roles, index patterns, API keys limited by their owner, the 403's words. */
class PermissionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RoleDescriptor role(String json) throws Exception {
        return RoleDescriptor.parse("r", JSON.readTree(json));
    }

    @Test
    void indexPrivilegesGrantTheirActionsOnMatchingIndicesOnly() throws Exception {
        Permission p = Permission.of(List.of(role("{\"indices\":[{\"names\":[\"logs-*\"],\"privileges\":[\"read\"]}]}")));
        assertThat(p.grantsIndex("indices:data/read/search", "logs-2026")).isTrue();
        assertThat(p.grantsIndex("indices:data/read/search", "metrics-1")).isFalse();
        assertThat(p.grantsIndex("indices:data/write/index:op_type/index", "logs-2026")).isFalse();
        assertThat(p.grantsCluster("cluster:monitor/main")).isFalse();
    }

    @Test
    void createDocCreatesButDoesNotOverwrite() throws Exception {
        Permission p = Permission.of(List.of(role("{\"indices\":[{\"names\":[\"*\"],\"privileges\":[\"create_doc\"]}]}")));
        assertThat(p.grantsIndex("indices:data/write/index:op_type/create", "a")).isTrue();
        assertThat(p.grantsIndex("indices:data/write/index:op_type/index", "a")).isFalse();
        assertThat(p.grantsIndex("indices:data/write/delete", "a")).isFalse();
    }

    @Test
    void manageIsEverythingButSecurity() throws Exception {
        Permission p = Permission.of(List.of(role("{\"cluster\":[\"manage\"]}")));
        assertThat(p.grantsCluster("cluster:admin/xpack/ccr/pause_follow")).isTrue();
        assertThat(p.grantsCluster("cluster:admin/settings/update")).isTrue();
        assertThat(p.grantsCluster("cluster:admin/xpack/security/user/put")).isFalse();
        assertThat(p.holdsCluster("manage_ccr")).isFalse(); // a privilege with exclusions is not said to cover others
        assertThat(Permission.of(List.of(role("{\"cluster\":[\"all\"]}"))).holdsCluster("manage_ccr")).isTrue();
    }

    @Test
    void anApiKeyNeverExceedsItsOwner() throws Exception {
        Permission owner = Permission.of(List.of(role("{\"indices\":[{\"names\":[\"logs-*\"],\"privileges\":[\"read\"]}]}")));
        Permission key = Permission.of(List.of(role("{\"indices\":[{\"names\":[\"*\"],\"privileges\":[\"all\"]}]}")))
                .limitedBy(owner);
        assertThat(key.grantsIndex("indices:data/read/search", "logs-1")).isTrue();
        assertThat(key.grantsIndex("indices:data/read/search", "metrics-1")).isFalse();
        assertThat(key.grantsIndex("indices:admin/delete", "logs-1")).isFalse();
    }

    @Test
    void aCrossClusterKeyGrantsTheLeaderSideOfReplicationOfItsIndicesOnly() {
        Permission p = Permission.crossClusterReplication(List.of("geo*"));
        assertThat(p.grantsCluster("cluster:monitor/state")).isTrue();
        assertThat(p.grantsIndex("indices:data/read/xpack/ccr/restore_session/put", "geonames")).isTrue();
        assertThat(p.grantsIndex("indices:admin/get", "geonames")).isTrue();
        assertThat(p.grantsIndex("indices:data/read/search", "geonames")).isFalse();
        assertThat(p.grantsIndex("indices:data/read/xpack/ccr/restore_session/put", "secrets")).isFalse();
    }

    @Test
    void aRefusalIsWordedAsElasticsearchWordsIt() {
        User vera = new User("vera", "$2a$10$x", List.of("viewer"), null, null, Map.of(), true, false);
        Authentication auth = new Authentication("vera", vera.roles(), Permission.of(List.of(BuiltinRoles.ALL
                .get("viewer"))), "native", vera, null);
        AuthorizationException e = Authorizer.denied(auth, "cluster:admin/xpack/ccr/pause_follow", null, "127.0.0.1");
        assertThat(e.type()).isEqualTo("security_exception");
        assertThat(e.reason()).isEqualTo("action [cluster:admin/xpack/ccr/pause_follow] is unauthorized for user"
                + " [vera] with effective roles [viewer], this action is granted by the cluster privileges"
                + " [manage_ccr,manage,all]");
        assertThatThrownBy(() -> Authorizer.index(auth, "indices:data/write/delete", "a,b", "127.0.0.1"))
                .hasMessageContaining("on indices [a]").hasMessageContaining("[delete,write,all]");
    }

    @Test
    void unknownPrivilegesAndFieldsAreRefused() {
        assertThatThrownBy(() -> role("{\"cluster\":[\"superpowers\"]}")).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("unknown cluster privilege [superpowers]");
        assertThatThrownBy(() -> role("{\"indices\":[{\"names\":[\"a\"],\"privileges\":[\"read\"],\"query\":{}}]}"))
                .hasMessageContaining("document and field level security are not supported");
        assertThatThrownBy(() -> role("{\"indices\":[{\"privileges\":[\"read\"]}]}"))
                .hasMessageContaining("missing required [names] field");
    }

    @Test
    void recordsRoundTripThroughTheSecurityTopicsJsonWithoutLosingTheHash() throws Exception {
        User user = new User("u", Passwords.hash("secret-1"), List.of("viewer"), "U", "u@example.com",
                Map.of("team", "ops"), true, false);
        User back = SecurityJson.MAPPER.readValue(SecurityJson.MAPPER.writeValueAsBytes(user), User.class);
        assertThat(back).isEqualTo(user);
        assertThat(Passwords.verify("secret-1", back.passwordHash())).isTrue();
        assertThat(back.view()).doesNotContainKey("password_hash");
        ApiKey key = new ApiKey("id1", "k", ApiKey.REST, Passwords.hash("s"), 1L, 2L, false, null, "u", "native",
                Map.of("r", role("{\"cluster\":[\"monitor\"]}")), Map.of(), List.of(), Map.of());
        assertThat(SecurityJson.MAPPER.readValue(SecurityJson.MAPPER.writeValueAsBytes(key), ApiKey.class))
                .isEqualTo(key);
        assertThat(key.view().toString()).doesNotContain(key.keyHash());
    }
}
