package io.kccr.node.security;

/** The users every cluster has: {@code elastic}, the superuser; only its password can change. */
final class BuiltinUsers {
    private BuiltinUsers() {
    }

    static boolean isReserved(String name) {
        return User.ELASTIC.equals(name);
    }
}
