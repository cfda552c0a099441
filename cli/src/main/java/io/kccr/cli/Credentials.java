package io.kccr.cli;

import java.io.Console;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import io.kccr.node.remote.RemoteHttp;
import picocli.CommandLine.Option;

/**
 * How an operator command authenticates to a node: {@code --api-key} (an API key's encoded value), or
 * {@code --user} with {@code --password} (prompted when not given, so it is never on the process list by default);
 * else the same from the environment ({@code KCCR_API_KEY}, {@code KCCR_USER} and {@code KCCR_PASSWORD}); else the
 * netrc file {@code --netrc} ({@code KCCR_NETRC}, by default the quickstart's {@value #QUICKSTART_NETRC} when it
 * exists). {@code --ca-cert} ({@code KCCR_CA_CERT}) is the CA to trust for an {@code https://} URL.
 */
final class Credentials {
    /** The file the quickstart writes its credentials to, relative to the working directory. */
    static final String QUICKSTART_NETRC = "quickstart-data/netrc";

    /** Credentials that cannot be used as given: a usage error, printed without a stack trace. */
    static final class Unusable extends RuntimeException {
        Unusable(String message) {
            super(message);
        }
    }

    /** The environment (replaced in tests). */
    static Function<String, String> environment = System::getenv;

    @Option(names = {"-u", "--user"}, paramLabel = "<user>",
            description = "User to authenticate as (env KCCR_USER); the password is prompted for unless --password or"
                    + " KCCR_PASSWORD gives it.")
    String user;

    @Option(names = {"-p", "--password"}, paramLabel = "<password>", arity = "0..1", interactive = true,
            description = "The user's password (env KCCR_PASSWORD); without a value, prompted for.")
    char[] password;

    @Option(names = "--api-key", paramLabel = "<encoded>",
            description = "An API key's encoded value, sent as Authorization: ApiKey (env KCCR_API_KEY).")
    String apiKey;

    @Option(names = "--ca-cert", paramLabel = "<pem>",
            description = "PEM file of the CA to trust for an https:// URL, e.g. <path.data>/certs/http_ca.crt (env"
                    + " KCCR_CA_CERT).")
    Path caCert;

    @Option(names = "--netrc", paramLabel = "<file>",
            description = "netrc file with the credentials (env KCCR_NETRC; default " + QUICKSTART_NETRC
                    + " when it exists, as the quickstart writes it).")
    Path netrc;

    /** The {@code Authorization} header value for the node at {@code url}, or null to send none. */
    String authorization(String url) {
        String key = apiKey != null ? apiKey : env("KCCR_API_KEY");
        if (key != null) {
            return "ApiKey " + key.strip();
        }
        String name = user != null ? user : env("KCCR_USER");
        if (name != null) {
            return basic(name, password != null ? new String(password) : passwordFromEnvOrPrompt(name));
        }
        Path file = netrc != null ? netrc : env("KCCR_NETRC") != null ? Path.of(env("KCCR_NETRC"))
                : Files.exists(Path.of(QUICKSTART_NETRC)) ? Path.of(QUICKSTART_NETRC) : null;
        if (file == null) {
            return null;
        }
        String[] login = netrcLogin(file, URI.create(url).getHost());
        return login == null ? null : basic(login[0], login[1]);
    }

    private static String passwordFromEnvOrPrompt(String user) {
        String fromEnv = env("KCCR_PASSWORD");
        if (fromEnv != null) {
            return fromEnv;
        }
        Console console = System.console();
        if (console == null) {
            throw new Unusable("no password for user [" + user + "]: set KCCR_PASSWORD, give --password, or run in a"
                    + " terminal to be asked for it");
        }
        char[] typed = console.readPassword("Enter password for [%s]: ", user);
        return typed == null ? "" : new String(typed);
    }

    /** The SSL context trusting {@code --ca-cert}, or null for the JVM's trusted CAs. */
    SSLContext sslContext() {
        Path ca = caCert != null ? caCert : env("KCCR_CA_CERT") != null ? Path.of(env("KCCR_CA_CERT")) : null;
        return ca == null ? null : RemoteHttp.trusting(ca, "--ca-cert");
    }

    private static String env(String name) {
        String v = environment.apply(name);
        return v == null || v.isBlank() ? null : v;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The login and password of netrc {@code file} for {@code host} (its {@code machine} entry, else {@code default}). */
    static String[] netrcLogin(Path file, String host) {
        List<String> tokens;
        try {
            tokens = List.of(Files.readString(file, StandardCharsets.UTF_8).strip().split("\\s+"));
        } catch (IOException e) {
            throw new Unusable("cannot read the netrc file [" + file + "] (" + e.getClass().getSimpleName() + "): give"
                    + " an existing one with --netrc or KCCR_NETRC, or other credentials");
        }
        String[] fallback = null;
        for (int i = 0; i < tokens.size(); i++) {
            boolean machine = tokens.get(i).equals("machine") && i + 1 < tokens.size();
            boolean isDefault = tokens.get(i).equals("default");
            if (!machine && !isDefault) {
                continue;
            }
            String name = machine ? tokens.get(i + 1) : null;
            String login = null;
            String pass = null;
            for (int j = i + (machine ? 2 : 1); j + 1 < tokens.size() && !tokens.get(j).equals("machine")
                    && !tokens.get(j).equals("default"); j += 2) {
                Map.Entry<String, String> kv = Map.entry(tokens.get(j), tokens.get(j + 1));
                if (kv.getKey().equals("login")) {
                    login = kv.getValue();
                } else if (kv.getKey().equals("password")) {
                    pass = kv.getValue();
                }
            }
            if (login != null && pass != null) {
                if (machine && name.equalsIgnoreCase(host)) {
                    return new String[] {login, pass};
                }
                if (isDefault) {
                    fallback = new String[] {login, pass};
                }
            }
        }
        return fallback;
    }
}
