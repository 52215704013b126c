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

/**
 * A plan whose prices include tax, as a user applies it and bills from it: the catalogue, the invoice run, the
 * invoice's lines and totals, its FOCUS export, and a bad {@code pricesIncludeTax} refused by position.
 */
class TaxInclusiveCliTest extends TenantCliTest {
  static final String METERS = """
      meters:
        - {slug: requests, eventType: api.request, aggregation: COUNT}
      """;
  static final String CATALOG = """
      customers:
        - {id: acme, currency: EUR, subjects: [a1], taxes: [{name: VAT, rate: 20}]}
      plans:
        - id: api
          version: 1
          currency: EUR
          pricesIncludeTax: true
          fixedFee: {amount: 12, timing: arrears}
          charges:
            - {id: requests, meter: requests, price: {model: per_unit, unitPrice: 0.6}}
      subscriptions:
        - {id: sub-acme, customer: acme, plan: api, version: 1, start: 2024-01-01}
      """;

  @BeforeEach
  void setUp() {
    t1.apply("meters", METERS);
    // 7 requests in April at 0.60 including VAT: 4.20, and the fee of 12.00 including VAT.
    List<Event> events = new java.util.ArrayList<>();
    for (int i = 0; i < 7; i++) {
      events.add(Event.of("r" + i, "t", "api.request", "a1", Instant.parse("2024-04-0" + (i + 1) + "T10:00:00Z"),
          "{}"));
    }
    t1.ingest(events, Instant.parse("2024-05-01T00:00:00Z"));
  }

  @Test
  void theInvoiceTotalsWhatThePricesSaidWithTheVatShownAsIncluded() throws Exception {
    t1.apply("catalog", CATALOG);
    assertThat(run("catalog", "list", "plans", "--format", "csv").out()).contains("include tax");

    Run r = run("invoice", "run", "--period", "2024-04", "--as-of", "2024-06-01", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    Run shown = run("invoice", "show", "INV-000001", "--format", "json");
    assertThat(shown.code()).as(shown.err()).isZero();
    JsonNode inv = Json.json().readTree(shown.out());
    // Gross 12.00 + 4.20 = 16.20; VAT included 16.20 × 20/120 = 2.70, taken off in proportion: 2.00 and 0.70.
    List<String> lines = new java.util.ArrayList<>();
    inv.path("lines").forEach(l -> lines.add(l.path("kind").asText() + " " + l.path("amount").asText()));
    assertThat(lines).containsExactly("fixed_fee 10.00", "usage 3.50", "tax 2.70");
    assertThat(inv.path("lines").get(2).path("description").asText()).isEqualTo("VAT 20 % included in 16.20");
    assertThat(inv.path("totals").path("total").asText()).isEqualTo("16.20");
    assertThat(inv.path("totals").path("tax").asText()).isEqualTo("2.70");

    Run explain = run("invoice", "explain", "INV-000001", "2");
    assertThat(explain.code()).as(explain.err()).isZero();
    assertThat(explain.out()).contains("4.20 includes 0.70 of tax, stated net 4.20 − 0.70 = 3.50");

    Run focus = run("invoice", "export", "--format", "focus");
    assertThat(focus.code()).as(focus.err()).isZero();
    assertThat(focus.out()).contains("Tax").contains("2.70");
  }

  @Test
  void aPricesIncludeTaxThatIsNotTrueOrFalseIsNamedByPositionAndNothingIsWritten() throws Exception {
    Files.writeString(dir.resolve("bad.yaml"), CATALOG.replace("pricesIncludeTax: true", "pricesIncludeTax: yes-ish"));
    Run r = run("catalog", "apply", dir.resolve("bad.yaml").toString());
    assertThat(r.code()).isEqualTo(TallyCli.EXIT_INPUT);
    assertThat(r.err()).contains("plans[0].pricesIncludeTax").contains("must be true or false")
        .contains("nothing was written");
    assertThat(run("catalog", "list", "plans", "--format", "csv").out()).doesNotContain("api@1");
  }
}
