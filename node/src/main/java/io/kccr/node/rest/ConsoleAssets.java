package io.kccr.node.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's files: its own (classpath {@code console/}) and the chart library's (the uPlot webjar's
 * {@code dist/}), each with an ETag, loaded once and kept. Thread-safe.
 */
final class ConsoleAssets {
    /** The page at {@code /}. */
    static final String PAGE = "index.html";
    private static final String OWN = "console/";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    /** One file: its bytes and ETag (a quoted prefix of its SHA-256). */
    record Asset(byte[] bytes, String etag) {
    }

    private final String libDir;
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    ConsoleAssets() {
        this.libDir = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    }

    /** The console's own file {@code name}; empty when there is none. */
    Optional<Asset> own(String name) {
        return find(OWN + name);
    }

    /** The chart library's file {@code name}; empty when there is none. */
    Optional<Asset> lib(String name) {
        return find(libDir + name);
    }

    private Optional<Asset> find(String resource) {
        Asset asset = cache.get(resource);
        if (asset == null) {
            asset = load(resource);
            if (asset == null) { // not cached: a miss costs a classpath lookup, never memory
                return Optional.empty();
            }
            cache.putIfAbsent(resource, asset);
        }
        return Optional.of(asset);
    }

    /** The resource's bytes and ETag; null when there is no such resource. */
    private static Asset load(String resource) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Asset(bytes, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The uPlot webjar's version, from its Maven metadata on the classpath (so the pom alone picks it). */
    private static String uplotVersion() {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                return "missing";
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p.getProperty("version", "missing");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
