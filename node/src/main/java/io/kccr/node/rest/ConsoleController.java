package io.kccr.node.rest;

import io.kccr.core.error.NotFoundException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The web console: {@code GET /} answers the console's page to browsers (an {@code Accept} header preferring
 * {@code text/html}) and the root JSON to everyone else; {@code GET /_console/<file>} serves the console's own
 * files (classpath {@code console/}) and {@code GET /_console/lib/<file>} the chart library's (the uPlot webjar).
 * Paths starting with {@code _} cannot clash with index names. Every file is answered with its media type, an
 * ETag and {@code Cache-Control: no-cache} (the browser revalidates, a 304 when unchanged: an upgraded node
 * never serves a stale script). Client IO only: {@link ConsoleAssets} holds the files.
 */
final class ConsoleController {
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** Scripts and styles only from this node; no inline script; nothing framed elsewhere. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    private final ConsoleAssets assets = new ConsoleAssets();

    /** {@code GET /}: the console's page for a browser, else {@code json} (the root JSON the clients rely on). */
    void root(Context ctx, Handler json) throws Exception {
        ctx.header("Vary", "Accept");
        if (prefersHtml(ctx.header("Accept"))) {
            serve(ctx, ConsoleAssets.PAGE, assets.own(ConsoleAssets.PAGE));
        } else {
            json.handle(ctx);
        }
    }

    /** {@code GET /_console/<file>}. */
    void asset(Context ctx) {
        String file = fileName(ctx);
        serve(ctx, file, assets.own(file));
    }

    /** {@code GET /_console/lib/<file>}: a file of the uPlot webjar's {@code dist/}. */
    void lib(Context ctx) {
        String file = fileName(ctx);
        serve(ctx, file, assets.lib(file));
    }

    /**
     * Whether an {@code Accept} header asks for HTML before JSON: {@code text/html} listed with a weight above
     * zero and at least that of any JSON type. {@code *}{@code /*} alone (curl) or no header means JSON.
     */
    static boolean prefersHtml(String accept) {
        if (accept == null) {
            return false;
        }
        double html = 0;
        double json = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (type.equals("text/html") || type.equals("application/xhtml+xml")) {
                html = Math.max(html, q);
            } else if (type.equals("application/json") || type.endsWith("+json")) {
                json = Math.max(json, q);
            }
        }
        return html > 0 && html >= json;
    }

    private static String fileName(Context ctx) {
        String file = ctx.pathParam("file");
        if (!FILE_NAME.matcher(file).matches()) {
            throw notFound(file);
        }
        return file;
    }

    private static void serve(Context ctx, String file, Optional<ConsoleAssets.Asset> found) {
        ConsoleAssets.Asset asset = found.orElseThrow(() -> notFound(file));
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", asset.etag());
        ctx.header("X-Content-Type-Options", "nosniff");
        String contentType = contentType(file);
        if (contentType.startsWith("text/html")) {
            ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        }
        ctx.contentType(contentType);
        String match = ctx.header("If-None-Match");
        if (match != null && match.contains(asset.etag())) {
            ctx.status(304);
            return;
        }
        ctx.status(200);
        ctx.result(asset.bytes());
    }

    static String contentType(String file) {
        String ext = file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            case "json", "map" -> "application/json";
            default -> "application/octet-stream";
        };
    }

    private static NotFoundException notFound(String file) {
        return NotFoundException.resource("the console has no file [" + file
                + "]; open the console at / in a browser");
    }
}
