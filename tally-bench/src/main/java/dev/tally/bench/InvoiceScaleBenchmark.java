package dev.tally.bench;

import dev.tally.api.UsageQuery;
import dev.tally.core.demo.DemoData;
import dev.tally.core.pricing.Catalog;
import dev.tally.core.pricing.Charge;
import dev.tally.store.EventImporter;
import dev.tally.store.TallyStore;
import dev.tally.store.pricing.PricingStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A month-end invoice run at scale against the raw usage aggregation it needs, side by side: N customers (one subject
 * each) on one plan with five metered charges (the demo's Starter plan plus a per-active-user charge), over M usage
 * events in April 2024. The raw aggregation is the same usage queries the run makes (one per charge, all subjects,
 * grouped by subject and the charge's keys); the run rates and writes every invoice. The clock is inside April's
 * grace period, so each repetition recomputes every invoice. Best of three after a warm-up.
 *
 * <p>Usage: {@code InvoiceScaleBenchmark [--customers N] [--events M] [--dir DIR]}; see tally-bench/invoice-bench.sh.
 */
public final class InvoiceScaleBenchmark {
  private InvoiceScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    int customers = 10_000;
    long events = 50_000_000;
    Path dir = Path.of("bench-data", "invoice");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--customers" -> customers = Integer.parseInt(args[++i]);
        case "--events" -> events = Long.parseLong(args[++i].replace("_", ""));
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Files.createDirectories(dir);
    Path ndjson = dir.resolve("april-" + customers + "-" + events + ".ndjson");
    if (!Files.exists(ndjson)) {
      generate(ndjson, customers, events);
    }
    Path data = dir.resolve("store-" + System.nanoTime());
    Clock clock = Clock.fixed(Instant.parse("2024-05-02T00:00:00Z"), ZoneOffset.UTC);
    try (TallyStore store = TallyStore.open(data, clock)) {
      store.meters().apply("bench", DemoData.meters(), false);
      long t0 = System.nanoTime();
      EventImporter.Report r = store.importer().importFile(ndjson, EventImporter.Options.of("bench"));
      double importSecs = (System.nanoTime() - t0) / 1e9;
      PricingStore pricing = PricingStore.open(store);
      pricing.catalog().apply("bench", catalog(customers), "bench-catalog.yaml");
      Catalog cat = pricing.catalog().load("bench");
      List<String> subjects = new ArrayList<>();
      cat.customers().forEach(c -> subjects.addAll(c.subjects()));
      List<Charge> charges = cat.plans().get(0).charges();
      Instant from = Instant.parse("2024-04-01T00:00:00Z");
      Instant to = Instant.parse("2024-05-01T00:00:00Z");
      long rawBest = Long.MAX_VALUE;
      long runBest = Long.MAX_VALUE;
      int invoices = 0;
      for (int rep = 0; rep < 4; rep++) {
        long a = System.nanoTime();
        for (Charge c : charges) {
          List<String> groupBy = new ArrayList<>(List.of(UsageQuery.SUBJECT));
          groupBy.addAll(c.pricing().keys());
          store.queries().query("bench", new UsageQuery(c.meter(), from, to, Optional.empty(), ZoneId.of("UTC"),
              subjects, groupBy, c.filter()));
        }
        long b = System.nanoTime();
        invoices = pricing.runner().run("bench", YearMonth.of(2024, 4), Set.of()).size();
        long e = System.nanoTime();
        if (rep > 0) {
          rawBest = Math.min(rawBest, b - a);
          runBest = Math.min(runBest, e - b);
        }
      }
      System.out.printf(Locale.ROOT, "events stored: %,d (import %.1f s, %,.0f events/s)%n", r.result().stored(),
          importSecs, r.result().stored() / importSecs);
      System.out.printf(Locale.ROOT, "| invoice run, April 2024, %,d customers x %d metered charges over %,d events "
          + "(%,d invoices) | %.0f ms | raw usage aggregation it needs (%d queries): %.0f ms | %.2f |%n", customers,
          charges.size(), r.result().stored(), invoices, runBest / 1e6, charges.size(), rawBest / 1e6,
          (double) runBest / rawBest);
      System.out.printf(Locale.ROOT, "heap limit %d MiB (-Xmx); the run completed within it%n",
          Runtime.getRuntime().maxMemory() >> 20);
    }
  }

  /** April 2024's usage: tokens, translations, requests and daily storage samples for every subject. */
  private static void generate(Path ndjson, int customers, long events) throws Exception {
    long storage = customers * 30L;
    long rest = Math.max(0, events - storage);
    String subject = "'subject-' || lpad((hash(i) % " + customers + ")::VARCHAR, 5, '0')";
    String time = "strftime(TIMESTAMPTZ '2024-04-01 00:00:00+00' + to_seconds((hash(i * 3) % 2592000)::BIGINT), "
        + "'%Y-%m-%dT%H:%M:%SZ')";
    String usage = "SELECT '1.0' AS specversion, 'u-' || i AS id, 'bench' AS source, "
        + "CASE i % 20 WHEN 0 THEN 'translation.characters' WHEN 1 THEN 'translation.characters' WHEN 2 THEN "
        + "'translation.characters' WHEN 3 THEN 'api.request' WHEN 4 THEN 'api.request' WHEN 5 THEN 'api.request' "
        + "WHEN 6 THEN 'api.request' ELSE 'ai.tokens' END AS type, " + subject + " AS subject, " + time + " AS time, "
        + "CASE WHEN i % 20 < 3 THEN to_json({'language_pair': ['en-fr','en-de','fr-en'][(i % 3 + 1)::INTEGER], "
        + "'characters': hash(i) % 40000 + 1000}) WHEN i % 20 < 7 THEN to_json({'endpoint': "
        + "['/v1/chat','/v1/files'][(i % 2 + 1)::INTEGER], 'status': 200}) ELSE to_json({'model': "
        + "['gpt-4o','claude-sonnet','llama-70b','mistral-large'][(hash(i) % 4 + 1)::INTEGER], 'direction': "
        + "['input','output'][(i % 2 + 1)::INTEGER], 'tokens': hash(i * 7) % 4000 + 50, 'user': 'u' || hash(i) % "
        + "(" + customers + " * 20)}) END AS data FROM range(" + rest + ") t(i)";
    String samples = "SELECT '1.0', 's-' || i, 'bench', 'storage.sample', 'subject-' || lpad((i % " + customers
        + ")::VARCHAR, 5, '0'), strftime(TIMESTAMPTZ '2024-04-01 00:00:00+00' + to_days((i // " + customers
        + ")::INTEGER), '%Y-%m-%dT%H:%M:%SZ'), to_json({'gb': (hash(i) % 500 + 10), 'region': 'eu-west'}) "
        + "FROM range(" + storage + ") t(i)";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      st.execute("COPY (" + usage + " UNION ALL " + samples + ") TO '" + ndjson + "' (FORMAT json)");
    }
  }

  /** The demo's Starter plan plus a fifth charge per active user, and every customer on it. */
  private static String catalog(int customers) throws IOException {
    String demo;
    try (InputStream in = InvoiceScaleBenchmark.class.getResourceAsStream(PricingStore.DEMO_CATALOG)) {
      demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // The Starter plan's text, from "  - id: starter" up to the next plan.
    int start = demo.indexOf("  - id: starter");
    int end = demo.indexOf("\n  - id: ", start + 5);
    String starter = demo.substring(start, end).replace("id: starter", "id: bench").replace("name: Starter",
        "name: Bench").replaceAll("(\\n\\s*(#[^\\n]*)?)+$", "");
    StringBuilder sb = new StringBuilder("plans:\n").append(starter).append('\n')
        .append("      - id: users\n        description: Active AI users\n        meter: ai_users\n")
        .append("        unit: users\n        price: {model: per_unit, unitPrice: 0.5}\n");
    sb.append("customers:\n");
    for (int i = 0; i < customers; i++) {
      sb.append(String.format(Locale.ROOT, "  - {id: c%05d, name: Customer %05d, currency: USD, taxRate: 0, "
          + "timeZone: UTC, subjects: [subject-%05d]}%n", i, i, i));
    }
    sb.append("subscriptions:\n");
    for (int i = 0; i < customers; i++) {
      sb.append(String.format(Locale.ROOT, "  - {id: s%05d, customer: c%05d, plan: bench, version: 1, "
          + "start: 2024-01-01}%n", i, i));
    }
    return sb.toString();
  }
}
