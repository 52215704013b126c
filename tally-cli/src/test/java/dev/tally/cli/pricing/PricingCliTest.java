package dev.tally.cli.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Event;
import dev.tally.cli.CliRun.Run;
import dev.tally.cli.TallyCli;
import dev.tally.cli.TenantCliTest;
import dev.tally.core.json.Json;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pricing commands in-process on a real store: output shapes, exit codes, and error messages. */
class PricingCliTest extends TenantCliTest {
  static final String METERS = """
      meters:
        - {slug: api_requests, eventType: api.request, aggregation: COUNT, groupBy: {endpoint: $.endpoint}}
      """;
  static final String CATALOG = """
      customers:
        - {id: acme, name: Acme, currency: USD, taxRate: 10, subjects: [s1]}
      plans:
        - id: api
          version: 1
          currency: USD
          charges:
            - {id: requests, description: API requests, meter: api_requests, unit: requests,
               price: {model: package, size: 2, price: 1.50}}
        - id: api
          version: 2
          currency: USD
          charges:
            - {id: requests, meter: api_requests, price: {model: per_unit, unitPrice: 1}}
      subscriptions:
        - {id: sub-acme, customer: acme, plan: api, version: 1, start: 2024-01-01}
      """;

  @BeforeEach
  void setUp() {
    t1.apply("meters", METERS);
    t1.ingest(List.of(
        Event.of("1", "t", "api.request", "s1", Instant.parse("2024-04-02T10:00:00Z"), "{\"endpoint\":\"/a\"}"),
        Event.of("2", "t", "api.request", "s1", Instant.parse("2024-04-03T10:00:00Z"), "{\"endpoint\":\"/a\"}"),
        Event.of("3", "t", "api.request", "s1", Instant.parse("2024-04-04T10:00:00Z"), "{\"endpoint\":\"/b\"}")),
        Instant.parse("2024-05-01T00:00:00Z"));
    assertThat(t1.apply("catalog", CATALOG).out()).contains("plans: 2 created, 0 replaced, 0 unchanged");
  }

  @Test
  void runShowExplainSimulateExport() throws Exception {
    Run r = run("invoice", "run", "--period", "2024-04");
    assertThat(r.code()).as(r.err()).isZero();
    // 3 requests = 2 packages of 2 × 1.50 = 3.00, + 10 % tax = 3.30; the period is long over, so final.
    assertThat(r.out()).contains("INV-000001").contains("final").contains("3.30").contains("finalized");

    Run show = run("invoice", "show", "INV-000001");
    assertThat(show.out()).contains("API requests", "Tax 10 % on 3.00", "Content hash");

    Run json = run("invoice", "show", "INV-000001", "--format", "json");
    JsonNode doc = Json.json().readTree(json.out());
    assertThat(doc.path("totals").path("total").decimalValue()).isEqualByComparingTo("3.30");

    Run explain = run("invoice", "explain", "INV-000001", "1");
    assertThat(explain.out()).contains("meter:      api_requests").contains("⌈3 / 2⌉");

    Run events = run("invoice", "explain", "INV-000001", "1", "--events", "--format", "csv");
    assertThat(events.out().lines()).hasSize(4).element(1).asString().contains("s1");

    Run sim = run("simulate", "--plan", "api@2", "--from", "2024-04-01", "--to", "2024-05-01");
    assertThat(sim.code()).as(sim.err()).isZero();
    // Under api@2: 3 × 1 = 3.00 + 0.30 tax = 3.30, the same as invoiced.
    assertThat(sim.out()).contains("acme").contains("Total difference under api@2: 0.00 USD");

    Run focus = run("invoice", "export", "--format", "focus");
    assertThat(focus.out().lines().findFirst().orElseThrow()).startsWith("BilledCost,EffectiveCost");
    assertThat(focus.out()).contains(",Usage,").contains(",Tax,");

    Run catalog = run("catalog", "show");
    assertThat(catalog.out()).contains("api@1", "api@2", "sub-acme", "1 customers");

    Run list = run("invoice", "list", "--format", "json");
    assertThat(Json.json().readTree(list.out()).get(0).path("number").asText()).isEqualTo("INV-000001");

    Run again = run("invoice", "run", "--period", "2024-04", "--format", "csv");
    assertThat(again.out()).contains("already final");
  }

  @Test
  void theCatalogueReadsBackAsTablesAndAsDeclaredJson() throws Exception {
    Files.writeString(dir.resolve("wallet.yaml"), """
        wallets:
          - {id: acme-credit, customer: acme, amount: 2, grantedOn: 2024-01-01}
        """);
    assertThat(run("catalog", "apply", dir.resolve("wallet.yaml").toString()).code()).isZero();
    Run customers = run("catalog", "list", "customers");
    assertThat(customers.code()).as(customers.err()).isZero();
    assertThat(customers.out()).contains("id", "taxRate", "acme", "Acme", "USD", "10", "s1");
    Run plans = run("catalog", "list", "plans", "--format", "json");
    JsonNode p = Json.json().readTree(plans.out());
    assertThat(p.path("plans")).hasSize(2);
    assertThat(p.path("plans").get(0).path("charges").get(0).path("price").path("model").asText())
        .isEqualTo("package");
    // The JSON of a section is a catalogue file: applying it again changes nothing.
    Files.writeString(dir.resolve("back.json"), plans.out());
    assertThat(run("catalog", "apply", dir.resolve("back.json").toString()).out())
        .contains("plans: 0 created, 0 replaced, 2 unchanged");
    assertThat(run("catalog", "show", "subscriptions", "sub-acme").out())
        .contains("subscriptions sub-acme (applied ").contains("plan: \"api\"");

    // 3.30 due on April's invoice, 2.00 of it paid by the wallet.
    assertThat(run("invoice", "run", "--period", "2024-04").code()).isZero();
    Run wallet = run("catalog", "show", "wallets", "acme-credit");
    assertThat(wallet.out()).contains("granted 2.00, used 2.00, reserved by drafts 0.00, expired 0.00, available 0.00")
        .contains("use").contains("INV-000001");
    JsonNode w = Json.json().readTree(run("catalog", "show", "wallets", "acme-credit", "--format", "json")
        .out());
    assertThat(w.path("balance").path("available").decimalValue()).isEqualByComparingTo("0");
    assertThat(w.path("ledger").get(1).path("invoiceNumber").asText()).isEqualTo("INV-000001");
    assertThat(run("catalog", "list", "wallets").out()).contains("acme-credit").contains("2.00");

    Run unknown = run("catalog", "show", "plans", "api@7");
    assertThat(unknown.code()).isEqualTo(TallyCli.EXIT_INPUT);
    assertThat(unknown.err()).contains("no plans entry 'api@7'");
    assertThat(run("catalog", "list", "widgets").err()).contains("section: must be one of customers");
  }

  @Test
  void voidAndCreditNotesFromTheCommandLine() throws Exception {
    assertThat(run("invoice", "run", "--period", "2024-04").code()).isZero();
    // April: 2 packages × 1.50 = 3.00, tax 10 % 0.30, total 3.30.
    Run credit = run("invoice", "credit", "INV-000001", "--lines", "1", "--reason", "outage");
    assertThat(credit.code()).as(credit.err()).isZero();
    assertThat(credit.out()).contains("Credit note CN-000001 for invoice INV-000001", "Reason: outage", "3.30 USD");
    Run json = run("invoice", "credit", "INV-000001", "--amount", "0.01", "--reason", "x", "--format", "json");
    assertThat(json.code()).isEqualTo(TallyCli.EXIT_INPUT);
    assertThat(json.err()).contains("at most 0.00 is left");
    Run explain = run("invoice", "explain", "INV-000001");
    assertThat(explain.out()).contains("Credit note CN-000001 = 3.30 (outage)")
        .contains("Credited 3.30, left after credit notes 0.00 USD");
    Run list = run("invoice", "credit-notes", "--format", "csv");
    assertThat(list.out()).contains("CN-000001,INV-000001,acme,3.30,USD,outage");
    Run focus = run("invoice", "export", "--format", "focus");
    assertThat(focus.out()).contains("-3.00,-3.00,-3.00,-3.00,Credit,Credit note CN-000001")
        .contains("-0.30,-0.30,-0.30,-0.30,Credit,");
    Run refused = run("invoice", "void", "INV-000001", "--reason", "x");
    assertThat(refused.code()).isEqualTo(TallyCli.EXIT_INPUT);
    assertThat(refused.err()).contains("has credit notes (CN-000001)");
    Run noReason = run("invoice", "void", "INV-000001");
    assertThat(noReason.code()).isEqualTo(TallyCli.EXIT_USAGE);
  }

  @Test
  void errorsSayWhatAndWhere() throws Exception {
    assertThat(run("invoice", "run", "--period", "April").err()).contains("--period")
        .contains("YYYY-MM");
    Run missing = run("invoice", "show", "INV-999999");
    assertThat(missing.code()).isEqualTo(TallyCli.EXIT_INPUT);
    assertThat(missing.err()).contains("no invoice 'INV-999999'");
    Files.writeString(dir.resolve("bad.yaml"), "plans: [{id: x, version: 1, currency: USD, interval: fortnight}]");
    Run bad = run("catalog", "apply", dir.resolve("bad.yaml").toString());
    assertThat(bad.code()).isEqualTo(TallyCli.EXIT_INPUT);
    assertThat(bad.err()).contains("plans[0].interval: must be week, month, quarter or year");
    Run usage = run("simulate", "--plan", "api@2");
    assertThat(usage.code()).isEqualTo(TallyCli.EXIT_USAGE);
  }
}
