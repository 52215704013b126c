package dev.tally.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.core.demo.DemoData;
import dev.tally.core.json.Json;
import dev.tally.server.ProductRoutes;
import dev.tally.server.ServerOptions;
import dev.tally.server.TallyServer;
import dev.tally.server.auth.KeyKind;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.store.TallyStore;
import dev.tally.store.cost.CostFormat;
import dev.tally.store.cost.CostStore;
import dev.tally.store.demo.DemoLoader;
import dev.tally.store.pricing.PricingStore;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One real {@code tally serve} setup for every browser test, built once per test JVM (loading the demo takes a
 * while): a store with the demo tenant (usage of its {@value #CUSTOMERS} customers, the demo catalogue's invoices for the
 * year, the demo's cloud bill), a tenant {@code xss} whose names are attacks, a server on port 0 with the same routes
 * as {@code tally serve} plus the console, and one headless Chromium driven through Debian's chromedriver.
 */
final class ConsoleFixture {
  /** The demo tenant as `tally serve --demo` loads it (its 40 customers), so that ready times are the demo's. */
  static final int CUSTOMERS = 40;
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  static final String CHROMIUM = "/usr/bin/chromium";
  /** What the attacks try to run; set only if the page ran one of them. */
  static final String SCRIPT = "<script>window.tallyXss=1</script>";
  static final String IMG = "\"><img src=x onerror=\"window.tallyXss=2\">";

  private static ConsoleFixture instance;

  final Path dir;
  final Path downloads;
  final TallyStore store;
  final TallyServer server;
  final String demoKey;
  final String demoReadKey;
  final String xssKey;
  final ChromeDriver driver;
  final Duration loadTime;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Each view's ready time in the browser, in milliseconds, as measured by the page (BENCHMARKS.md). */
  final Map<String, List<Long>> readyMillis = new LinkedHashMap<>();
  /** Per ready view: how many API calls it made and the slowest one's time in the page. */
  final Map<String, List<long[]>> callStats = new LinkedHashMap<>();

  static synchronized ConsoleFixture get() {
    if (instance == null) {
      instance = new ConsoleFixture();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::close, "console-fixture-close"));
    }
    return instance;
  }

  private ConsoleFixture() {
    try {
      dir = Files.createTempDirectory("tally-console-test");
      downloads = Files.createDirectories(dir.resolve("downloads"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    store = TallyStore.open(dir.resolve("data"), Clock.systemUTC());
    long started = System.nanoTime();
    DemoLoader loader = new DemoLoader(store);
    loader.load(DemoLoader.DEMO_TENANT, new DemoData(42, CUSTOMERS));
    loader.invoiceYear(DemoLoader.DEMO_TENANT);
    loader.costYear(DemoLoader.DEMO_TENANT);
    loadXss();
    loadTime = Duration.ofNanos(System.nanoTime() - started);
    List<ApiRoutes> routes = new ArrayList<>(ProductRoutes.all(store));
    routes.add(new ConsoleRoutes());
    server = TallyServer.start(store, ServerOptions.defaults().withPort(0).withExtraRoutes(routes));
    demoKey = server.keys().create(DemoLoader.DEMO_TENANT, KeyKind.FULL).secret();
    demoReadKey = server.keys().create(DemoLoader.DEMO_TENANT, KeyKind.READ_ONLY).secret();
    xssKey = server.keys().create("xss", KeyKind.FULL).secret();
    // A budget the GPU day breaks, and the alerts the server's schedule would have made of it and of the anomaly.
    post("/api/v1/budgets", demoKey, "{\"name\":\"fixture-gpu\",\"amount\":5000,\"filters\":[\"ServiceName=GPU Compute\"]}");
    CostStore.on(store).alerts().check(DemoLoader.DEMO_TENANT, java.time.LocalDate.of(2024, 11, 20),
        java.time.ZoneId.of("UTC"), dev.tally.core.cost.AnomalySettings.defaults(), 30);
    driver = chromium(downloads);
  }

  /**
   * A tenant whose meter description, group-by value, customer name, FOCUS service name and tag are attacks: the
   * console must show them as text and run none of them.
   */
  private void loadXss() {
    String t = "xss";
    store.ensureTenant(t);
    String meterYaml = "meters:\n  - slug: evil\n    description: " + yaml(SCRIPT + " " + IMG) + "\n"
        + "    eventType: evil.use\n    aggregation: SUM\n    valueProperty: $.n\n    groupBy: {kind: $.kind}\n";
    store.meters().apply(t, dev.tally.core.meters.MeterDefinitions.parseFile(meterYaml, "evil.yaml"), false);
    StringBuilder events = new StringBuilder();
    String[] kinds = {SCRIPT, IMG, "plain"};
    for (int d = 1; d <= 20; d++) {
      for (int k = 0; k < kinds.length; k++) {
        events.append(Json.json().createObjectNode().put("specversion", "1.0").put("id", "e" + d + "-" + k)
            .put("source", "test").put("type", "evil.use").put("subject", "s1")
            .put("time", String.format("2024-11-%02dT10:00:00Z", d))
            .<JsonNode>set("data", Json.json().createObjectNode().put("n", 10 * (k + 1)).put("kind", kinds[k])).toString()).append('\n');
      }
    }
    try {
      Path file = Files.writeString(dir.resolve("evil.ndjson"), events.toString());
      store.importer().importFile(file, dev.tally.store.EventImporter.Options.of(t));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String catalog = "plans:\n  - id: p\n    version: 1\n    name: " + yaml(IMG) + "\n    currency: USD\n"
        + "    interval: month\n    charges:\n      - id: c\n        description: " + yaml(SCRIPT) + "\n"
        + "        meter: evil\n        unit: things\n        price: {model: per_unit, unitPrice: 0.5}\n"
        + "customers:\n  - {id: c1, name: " + yaml(SCRIPT + IMG) + ", currency: USD, taxRate: 0, timeZone: UTC,"
        + " subjects: [s1]}\nsubscriptions:\n  - {id: sub1, customer: c1, plan: p, version: 1, start: 2024-11-01}\n";
    PricingStore pricing = PricingStore.open(store);
    pricing.catalog().apply(t, catalog, "evil-catalog.yaml");
    pricing.runner().run(t, YearMonth.of(2024, 11), Set.of());
    new DemoLoader(store).invoicesAsCostData(t);
    String bill = "BilledCost,EffectiveCost,ListCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,"
        + "ServiceName,ResourceId,Tags\n"
        + "10,9,12,USD,Usage,2024-11-02,2024-11-03," + csv(SCRIPT) + "," + csv(IMG) + ","
        + csv("{\"team\":" + Json.json().valueToTree(IMG) + ",\"env\":" + Json.json().valueToTree(SCRIPT) + "}") + "\n"
        + "5,5,5,USD,Usage,2024-11-03,2024-11-04,plain,r1,{}\n";
    CostStore.on(store).importer().importStream(t, "evil.csv", new ByteArrayInputStream(bill.getBytes(
        StandardCharsets.UTF_8)), Long.MAX_VALUE, CostFormat.FOCUS, false);
  }

  private static String yaml(String s) {
    return Json.json().valueToTree(s).toString();
  }

  private static String csv(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  private static ChromeDriver chromium(Path downloads) {
    if (!new File(CHROMEDRIVER).canExecute() || !new File(CHROMIUM).canExecute()) {
      throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver ("
          + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver (.ci/run does)");
    }
    Path profile;
    try {
      profile = Files.createTempDirectory("tally-console-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The driver and the browser are named, so Selenium Manager has nothing to find and downloads nothing.
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1440,1100", "--user-data-dir=" + profile,
        "--lang=en-US", "--force-device-scale-factor=1");
    options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
        "download.prompt_for_download", false));
    return new ChromeDriver(service, options);
  }

  /** The base address of the server. */
  String base() {
    return server.uri().toString();
  }

  /** A GET of the API with a key, as JSON. */
  JsonNode api(String pathAndQuery, String key) {
    return send(pathAndQuery, HttpRequest.newBuilder(URI.create(base() + pathAndQuery))
        .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60)).build(), status -> status == 200);
  }

  /** A POST of JSON to the API with a key, as JSON. */
  JsonNode post(String path, String key, String json) {
    return send(path, HttpRequest.newBuilder(URI.create(base() + path))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), status -> status / 100 == 2);
  }

  /** Sends a request and reads the answer as JSON; fails with the answer unless {@code ok} takes its status. */
  private JsonNode send(String path, HttpRequest request, IntPredicate ok) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (!ok.test(r.statusCode())) {
        throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
      }
      return Json.json().readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  synchronized void recordReady(String view, long ms, int calls, long slowestCall) {
    readyMillis.computeIfAbsent(view, k -> new ArrayList<>()).add(ms);
    callStats.computeIfAbsent(view, k -> new ArrayList<>()).add(new long[] {calls, slowestCall});
  }

  private void close() {
    try {
      writeTimings();
      driver.quit();
    } catch (RuntimeException e) {
      // The JVM is going away; the browser process goes with the driver service.
    } finally {
      server.close();
      store.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // A temporary directory left behind is harmless.
      }
    }
  }

  /** Ready times per view, for BENCHMARKS.md: reported, never asserted. */
  private void writeTimings() {
    StringBuilder sb = new StringBuilder("view\truns\tmedian_ms\tmax_ms\tmax_api_calls\tslowest_api_call_ms\n");
    readyMillis.forEach((view, ms) -> {
      List<Long> sorted = ms.stream().sorted().toList();
      List<long[]> calls = callStats.getOrDefault(view, List.of());
      sb.append(view).append('\t').append(sorted.size()).append('\t').append(sorted.get(sorted.size() / 2))
          .append('\t').append(sorted.get(sorted.size() - 1)).append('\t')
          .append(calls.stream().mapToLong(c -> c[0]).max().orElse(0)).append('\t')
          .append(calls.stream().mapToLong(c -> c[1]).max().orElse(0)).append('\n');
    });
    sb.append("demo load (").append(CUSTOMERS).append(" customers)\t1\t").append(loadTime.toMillis()).append('\t')
        .append(loadTime.toMillis()).append('\n');
    try {
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "console-timings.tsv"), sb.toString());
    } catch (IOException e) {
      // Reported only; a missing report fails nothing.
    }
  }
}
