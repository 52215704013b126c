package dev.tally.server;

import static java.util.Objects.requireNonNull;

import dev.tally.api.TallyException;
import dev.tally.server.auth.ApiKeys;
import dev.tally.server.auth.PortalTokens;
import dev.tally.server.metering.EventRoutes;
import dev.tally.server.metering.GroupCommitter;
import dev.tally.server.metering.MeterRoutes;
import dev.tally.server.metering.QueryRoutes;
import dev.tally.server.metering.SubjectRoutes;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.Bodies;
import dev.tally.server.spi.HttpProblem;
import dev.tally.server.spi.ServerLimits;
import dev.tally.server.spi.ServerMetrics;
import dev.tally.store.TallyStore;
import dev.tally.store.subjects.SubjectStore;
import dev.tally.store.wal.DurableIngestor;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tally's HTTP server: the embedded store behind an OpenMeter-shaped API. Start one with
 * {@link #start(TallyStore, ServerOptions)}; {@link #close()} shuts it down gracefully.
 *
 * <p>Shutdown order: stop taking requests (503 with {@code Retry-After}; {@code /readyz} turns 503), wait for the
 * requests in flight, commit every queued batch, stop the HTTP listener, delete the admin file. The store stays
 * open: whoever opened it closes it (so tests can inspect it after the server is gone).
 */
public final class TallyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TallyServer.class);
  /**
   * What a start takes long over (the first start after a large import), under a name of its own: {@code tally serve}
   * quiets this class's start-up lines, not these.
   */
  private static final Logger STARTUP = LoggerFactory.getLogger("dev.tally.server.startup");
  private static final Logger ACCESS = LoggerFactory.getLogger("dev.tally.server.access");
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private final TallyStore store;
  private final Javalin app;
  private final Lifecycle lifecycle;
  private final GroupCommitter committer;
  private final ApiKeys keys;
  private final List<RouteSpec> routes;
  private final Optional<AdminFile> adminFile;
  private final URI uri;
  private final Optional<DurableIngestor> durable;
  private boolean closed;

  /** How long a usage read waits for the log-first path's loader before it answers 503 (see docs/http-api.md). */
  static final Duration READ_WAIT = Duration.ofSeconds(10);

  private TallyServer(TallyStore store, Javalin app, Lifecycle lifecycle, GroupCommitter committer, ApiKeys keys,
      List<RouteSpec> routes, Optional<AdminFile> adminFile, URI uri, Optional<DurableIngestor> durable) {
    this.durable = durable;
    this.store = store;
    this.app = app;
    this.lifecycle = lifecycle;
    this.committer = committer;
    this.keys = keys;
    this.routes = routes;
    this.adminFile = adminFile;
    this.uri = uri;
  }

  /** Starts a server on an open store; returns once it listens. */
  public static TallyServer start(TallyStore store, ServerOptions options) {
    requireNonNull(store, "store is null");
    requireNonNull(options, "options is null");
    ApiKeys keys = ApiKeys.open(store);
    PortalTokens portal = PortalTokens.open(store);
    ServerMetrics metrics = new ServerMetrics();
    Lifecycle lifecycle = new Lifecycle();
    ServerLimits limits = options.limits();
    if (!options.logFirst()) {
      // On the store path, records a log-first server acknowledged and had not loaded when it was killed are loaded
      // first, or they would be missing from every read.
      DurableIngestor.loadPending(store, DurableIngestor.PENDING_LOAD_WAIT);
    }
    Optional<DurableIngestor> durable = options.logFirst()
        ? Optional.of(DurableIngestor.open(store, DurableIngestor.SEGMENT_BYTES, STARTUP::info)) : Optional.empty();
    GroupCommitter committer = durable.isPresent()
        ? new GroupCommitter(durable.get()::ingestJudged, metrics, limits.queueRequests(), limits.maxEventsPerCommit())
        : new GroupCommitter(store.ingestor(), metrics, limits.queueRequests(), limits.maxEventsPerCommit());
    durable.ifPresent(d -> store.readBarrier(() -> {
      if (!d.awaitLoaded(READ_WAIT)) {
        throw new TallyException(dev.tally.api.ErrorCode.UNAVAILABLE, "the store is still loading acknowledged "
            + "events (more than " + READ_WAIT.toSeconds() + " s behind); retry shortly");
      }
    }));
    String adminToken = randomToken();
    Authenticator auth = new Authenticator(keys, portal, adminToken);
    List<ApiRoutes> groups = new ArrayList<>(List.of(
        new OpsRoutes(lifecycle, metrics),
        new EventRoutes(store, committer, limits),
        new MeterRoutes(store),
        new QueryRoutes(store),
        new SubjectRoutes(SubjectStore.on(store)),
        new PortalRoutes(portal),
        new AdminRoutes(store, keys)));
    groups.addAll(options.extraRoutes());
    List<RouteSpec> specs = new ArrayList<>();
    Javalin app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.http.maxRequestSize = limits.maxBodyBytes();
      cfg.requestLogger.http((ctx, ms) -> logAndMeasure(ctx, ms, metrics));
      // Portal pages run in customers' browsers on other origins. Portal tokens are bearer tokens, never cookies, so
      // any origin may call the portal routes: a page can read only what its token already allows.
      cfg.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
        rule.path = "/api/v1/portal/*";
        rule.anyHost();
      }));
      // A request answered without reading its whole body (refused early: no key, wrong media type, a route that
      // takes none) would leave bytes on the connection; the server then closes it after answering, and a client
      // that pooled the connection meanwhile sees its next request fail with no answer at all. Reading the rest
      // (within the body limit) keeps the connection usable; past the limit, the answer says it closes.
      cfg.routes.after(ctx -> Bodies.drainUnread(ctx, limits.maxBodyBytes()));
      cfg.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
      cfg.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JettyErrors()));
      cfg.routes.exception(HttpProblem.class, (e, ctx) -> ProblemResponses.write(ctx, e));
      cfg.routes.exception(TallyException.class, (e, ctx) -> ProblemResponses.write(ctx, e));
      cfg.routes.exception(HttpResponseException.class, (e, ctx) -> ProblemResponses.write(ctx, e));
      cfg.routes.exception(Exception.class, (e, ctx) -> ProblemResponses.internal(ctx, e));
      cfg.routes.error(404, ctx -> {
        if (ctx.attribute(RouteTable.ROUTE) == null) {
          ProblemResponses.write(ctx, 404, "not-found", "no such route: " + ctx.method() + " " + ctx.path(),
              List.of());
        }
      });
      cfg.routes.error(405, ctx -> ProblemResponses.write(ctx, 405, "method-not-allowed",
          "method " + ctx.method() + " is not allowed on " + ctx.path(), List.of()));
      RouteTable routes = new RouteTable(cfg.routes, auth, lifecycle);
      groups.forEach(g -> g.register(routes));
      specs.addAll(routes.specs());
    });
    try {
      app.start(options.host(), options.port());
    } catch (RuntimeException e) {
      closeQuietly(committer);
      durable.ifPresent(d -> {
        store.readBarrier(() -> {});
        d.close();
      });
      throw new TallyException(dev.tally.api.ErrorCode.UNAVAILABLE,
          "cannot listen on " + options.host() + ":" + options.port() + ": " + rootMessage(e), e);
    }
    String host = options.host().equals("0.0.0.0") || options.host().equals("::") ? "127.0.0.1" : options.host();
    URI uri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + app.port());
    Optional<AdminFile> admin = Optional.empty();
    if (options.writeAdminFile()) {
      AdminFile f = new AdminFile(uri, adminToken);
      f.write(store.dataDir());
      admin = Optional.of(f);
    }
    LOG.info("Tally listening on {} (data: {})", uri, store.dataDir());
    return new TallyServer(store, app, lifecycle, committer, keys, List.copyOf(specs), admin, uri, durable);
  }

  private static void logAndMeasure(Context ctx, Float ms, ServerMetrics metrics) {
    String route = Optional.ofNullable(ctx.<String>attribute(RouteTable.ROUTE)).orElse("unmatched");
    metrics.request(ctx.method().name(), route, ctx.statusCode(), (long) (ms * 1_000_000));
    if (ACCESS.isInfoEnabled()) {
      ACCESS.info("{} {} {} {} {}ms req={}", ctx.req().getRemoteAddr(), ctx.method(), ctx.path(), ctx.statusCode(),
          String.format(java.util.Locale.ROOT, "%.1f", ms), RequestIds.of(ctx));
    }
  }

  private static String randomToken() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  private static void closeQuietly(GroupCommitter committer) {
    try {
      committer.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The port it listens on (useful after asking for port 0). */
  public int port() {
    return app.port();
  }

  /** The base URL, on loopback when bound to all interfaces. */
  public URI uri() {
    return uri;
  }

  /** The API keys of the store it serves. */
  public ApiKeys keys() {
    return keys;
  }

  /** Every route it serves. */
  public List<RouteSpec> routes() {
    return routes;
  }

  /** The admin file it wrote, if it wrote one. */
  public Optional<AdminFile> adminFile() {
    return adminFile;
  }

  /** Ingest requests waiting for the writer. */
  public int queueDepth() {
    return committer.depth();
  }

  /** Shuts down gracefully (see the class comment); the store stays open. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("Tally shutting down: finishing requests in flight");
    try {
      if (!lifecycle.drain(DRAIN_TIMEOUT)) {
        LOG.warn("{} request(s) still running after {}; stopping anyway", lifecycle.inFlight(), DRAIN_TIMEOUT);
      }
      committer.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      app.stop();
      adminFile.ifPresent(f -> f.delete(store.dataDir()));
      durable.ifPresent(d -> {
        // Commands that open the store directly read DuckDB alone: load what was acknowledged before stopping.
        if (!d.awaitLoaded(Duration.ofMinutes(2))) {
          LOG.warn("the log is not fully loaded; the rest is loaded at the next start of the log-first path");
        }
        store.readBarrier(() -> {});
        d.close();
      });
    }
    LOG.info("Tally stopped");
  }
}
