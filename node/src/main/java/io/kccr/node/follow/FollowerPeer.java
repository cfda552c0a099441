package io.kccr.node.follow;

import io.kccr.node.remote.RemoteHttp;

/**
 * A node of this cluster hosting a follower index, which a copy of it made here copies from (peer recovery).
 *
 * @param name    the node's name
 * @param baseUrl its HTTP address
 * @param http    the client and this node's own credentials to call it with
 */
public record FollowerPeer(String name, String baseUrl, RemoteHttp http) {
}
