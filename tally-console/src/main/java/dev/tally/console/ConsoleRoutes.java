package dev.tally.console;

import dev.tally.server.spi.Access;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.Routes;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web console's static files: the page at {@code /}, its scripts and styles under {@code /console/}, and the
 * vendored chart library (uPlot, MIT, from its webjar in this jar) under {@code /console/vendor/}.
 *
 * <p>These routes are public (the files hold no data: every figure the page shows comes from the documented API, with
 * the key the user pasted) and are not API routes, so they are not in the OpenAPI document; {@code tally serve} adds
 * this group beside {@code ProductRoutes}. Every answer carries a strict Content-Security-Policy: scripts, styles and
 * connections from this origin only, no inline script or style, no frames, no form posting elsewhere.
 */
public final class ConsoleRoutes implements ApiRoutes {
  /** The policy every console answer carries. */
  public static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
      "font-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'");

  /** The console's own files, a resource folder of this module. */
  static final String WEB = "/dev/tally/console/web/";
  /** The webjar's folder of uPlot. */
  static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/";

  private static final Pattern FILE = Pattern.compile("[a-z][a-z0-9-]*\\.(js|css|svg)");
  private static final Map<String, String> VENDOR = Map.of(
      "uPlot.iife.min.js", UPLOT + "dist/uPlot.iife.min.js",
      "uPlot.min.css", UPLOT + "dist/uPlot.min.css",
      "uPlot-LICENSE.txt", UPLOT + "LICENSE");

  private final Asset index;
  private final Map<String, Asset> files;
  private final Map<String, Asset> vendor;

  /** Reads every file once; a missing one fails here, at start, rather than on a user's first visit. */
  public ConsoleRoutes() {
    this.index = Asset.load(WEB + "index.html");
    Map<String, Asset> f = new LinkedHashMap<>();
    for (String name : Asset.text(WEB + "files.txt").lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
      if (!FILE.matcher(name).matches()) {
        throw new IllegalStateException("console file name not allowed: " + name);
      }
      f.put(name, Asset.load(WEB + name));
    }
    this.files = Map.copyOf(f);
    Map<String, Asset> v = new LinkedHashMap<>();
    VENDOR.forEach((name, path) -> v.put(name, Asset.load(path)));
    this.vendor = Map.copyOf(v);
  }

  /** The console's own file names, as served under {@code /console/}. */
  public List<String> fileNames() {
    return files.keySet().stream().sorted().toList();
  }

  @Override
  public void register(Routes routes) {
    routes.get("/", Access.PUBLIC, ctx -> send(ctx, index));
    routes.get("/console/{file}", Access.PUBLIC, ctx -> send(ctx, files.get(ctx.pathParam("file"))));
    routes.get("/console/vendor/{file}", Access.PUBLIC, ctx -> send(ctx, vendor.get(ctx.pathParam("file"))));
  }

  private static void send(Context ctx, Asset asset) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    if (asset == null) {
      ctx.status(404).contentType("text/plain; charset=utf-8").result("no such console file: " + ctx.path() + "\n");
      return;
    }
    // Revalidated on every load, so that a new Tally's console is never mixed with an old one's cached files.
    ctx.header("Cache-Control", "no-cache");
    ctx.header("ETag", asset.etag());
    if (asset.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.status(200).contentType(asset.contentType()).result(asset.bytes());
  }

  /** A file's bytes, type and entity tag. */
  private record Asset(byte[] bytes, String contentType, String etag) {
    static Asset load(String resource) {
      byte[] b = bytes(resource);
      return new Asset(b, type(resource), "\"" + sha256(b).substring(0, 20) + "\"");
    }

    static String text(String resource) {
      return new String(bytes(resource), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String resource) {
      try (InputStream in = ConsoleRoutes.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is missing from the build");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static String type(String name) {
      if (name.endsWith(".html")) {
        return "text/html; charset=utf-8";
      } else if (name.endsWith(".js")) {
        return "text/javascript; charset=utf-8";
      } else if (name.endsWith(".css")) {
        return "text/css; charset=utf-8";
      } else if (name.endsWith(".svg")) {
        return "image/svg+xml";
      }
      return "text/plain; charset=utf-8";
    }

    private static String sha256(byte[] b) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
