#!/bin/sh
# Runs once both nodes are healthy (compose's "setup" service), as Elasticsearch's own compose setup does:
# - on the leader, a cross-cluster API key for the follower (access.replication on every index), set on the follower
#   as cluster.remote.leader.credentials (a transient setting: a secret is never written to the follower's disk);
# - on each cluster, an API key with the cluster privilege monitor only, for Prometheus to scrape /metrics with.
# The elastic password comes from the environment (docker/.env), through a netrc file: never on a command line.
set -eu
umask 077
printf 'default login elastic password %s\n' "$ELASTIC_PASSWORD" > /tmp/netrc
# The compose file may name other nodes and CAs (docker/cluster/compose.yaml does), and no Prometheus keys to make.
LEADER="${LEADER:-https://leader:9200}"
FOLLOWER="${FOLLOWER:-https://follower:9201}"
LEADER_CA="${LEADER_CA:-/leader/data/certs/http_ca.crt}"
FOLLOWER_CA="${FOLLOWER_CA:-/follower/data/certs/http_ca.crt}"
PROMETHEUS_KEYS="${PROMETHEUS_KEYS-/keys}"

call() { # call <ca> <method> <url> [json]: prints the answer, fails on an HTTP error
    curl -fsS --netrc-file /tmp/netrc --cacert "$1" -X "$2" "$3" -H 'Content-Type: application/json' ${4:+-d "$4"}
}
encoded() { # the "encoded" field of a create API key answer
    sed -n 's/.*"encoded":"\([^"]*\)".*/\1/p'
}

key=$(call "$LEADER_CA" POST "$LEADER/_security/cross_cluster/api_key" \
    '{"name":"follower","access":{"replication":[{"names":["*"]}]}}' | encoded)
call "$FOLLOWER_CA" PUT "$FOLLOWER/_cluster/settings" \
    "{\"transient\":{\"cluster.remote.leader.credentials\":\"$key\"}}" > /dev/null

if [ -z "$PROMETHEUS_KEYS" ]; then
    echo "setup done: the follower authenticates to the leader"
    exit 0
fi
monitor='{"name":"prometheus","role_descriptors":{"metrics":{"cluster":["monitor"]}}}'
call "$LEADER_CA" POST "$LEADER/_security/api_key" "$monitor" | encoded > "$PROMETHEUS_KEYS/leader.key"
call "$FOLLOWER_CA" POST "$FOLLOWER/_security/api_key" "$monitor" | encoded > "$PROMETHEUS_KEYS/follower.key"
chmod 644 "$PROMETHEUS_KEYS/leader.key" "$PROMETHEUS_KEYS/follower.key"  # read by the Prometheus container's user
echo "setup done: the follower authenticates to the leader; Prometheus scrapes with monitor-only API keys"
