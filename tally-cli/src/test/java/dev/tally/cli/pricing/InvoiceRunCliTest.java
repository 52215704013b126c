package dev.tally.cli.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Event;
import dev.tally.cli.CliRun.Run;
import dev.tally.cli.TallyCli;
import dev.tally.cli.TenantCliTest;
import dev.tally.core.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code tally invoice run}: a failing subscription reported once, the others written; {@code --as-of}; JSON. */
class InvoiceRunCliTest extends TenantCliTest {
  static final String METERS = """
      meters:
        - {slug: tokens, eventType: ai.tokens, aggregation: SUM, valueProperty: $.tokens, groupBy: {model: $.model}}
      """;
  static final String CATALOG = """
      customers:
        - {id: good, currency: USD, subjects: [g1]}
        - {id: bad, currency: USD, subjects: [b1]}
      plans:
        - id: ai
          version: 1
          currency: USD
          charges:
            - id: tokens
              meter: tokens
              price:
                model: dimensional
                keys: [model]
                prices: [{match: {model: small}, price: {model: per_unit, unitPrice: 0.001}}]
      subscriptions:
        - {id: sub-good, customer: good, plan: ai, version: 1, start: 2024-01-01}
        - {id: sub-bad, customer: bad, plan: ai, version: 1, start: 2024-01-01}
      """;

  @BeforeEach
  void setUp() {
    t1.apply("meters", METERS);
    t1.ingest(List.of(
        Event.of("1", "t", "ai.tokens", "g1", Instant.parse("2024-04-02T10:00:00Z"),
            "{\"model\":\"small\",\"tokens\":1500}"),
        Event.of("2", "t", "ai.tokens", "b1", Instant.parse("2024-04-03T10:00:00Z"),
            "{\"model\":\"huge\",\"tokens\":5}")),
        Instant.parse("2024-05-01T00:00:00Z"));
    t1.apply("catalog", CATALOG);
  }

  @Test
  void aFailingSubscriptionIsReportedOnceAndTheOthersAreWritten() {
    Run r = run("invoice", "run", "--period", "2024-04");
    assertThat(r.code()).isEqualTo(TallyCli.EXIT_INPUT);
    assertThat(r.out()).contains("INV-000001").contains("sub-good").doesNotContain("sub-bad");
    assertThat(r.err()).isEqualTo("""
        error: 1 of 2 invoice(s) failed; the others were written
          subscriptions[sub-bad]: period 2024-04-01..2024-05-01 (invoice sub-bad@2024-04-01): charge 'tokens' of \
        plan ai@1: no price for model=huge and no fallback price; add one of them
        """);
    assertThat(r.err().split("no price for model=huge", -1)).hasSize(2); // once
  }

  @Test
  void jsonNamesIdsAndNumbersApartAndListsFailures() throws Exception {
    Run r = run("invoice", "run", "--period", "2024-04", "--as-of", "2024-05-02", "--format", "json");
    assertThat(r.code()).isEqualTo(TallyCli.EXIT_INPUT);
    assertThat(r.err()).isEmpty();
    JsonNode j = Json.json().readTree(r.out());
    assertThat(j.path("asOf").asText()).isEqualTo("2024-05-02T00:00:00Z");
    JsonNode inv = j.path("invoices").get(0);
    // Within the default 3-day grace period as of May 2: a draft, with an id and no number yet.
    assertThat(inv.path("invoiceId").asText()).isEqualTo("sub-good@2024-04-01");
    assertThat(inv.path("invoiceNumber").isNull()).isTrue();
    assertThat(inv.path("status").asText()).isEqualTo("draft");
    assertThat(inv.path("subscriptionId").asText()).isEqualTo("sub-good");
    assertThat(inv.path("customerId").asText()).isEqualTo("good");
    assertThat(j.path("failures").get(0).path("invoiceId").asText()).isEqualTo("sub-bad@2024-04-01");
    assertThat(j.path("failures").get(0).path("reason").asText()).contains("no price for model=huge");

    Run fin = run("invoice", "run", "--period", "2024-04", "--customers", "good", "--as-of", "2024-05-04T00:00:00Z",
        "--format", "json");
    assertThat(fin.code()).as(fin.err()).isZero();
    JsonNode f = Json.json().readTree(fin.out()).path("invoices").get(0);
    assertThat(f.path("invoiceNumber").asText()).isEqualTo("INV-000001");
    assertThat(f.path("invoiceId").asText()).isEqualTo("sub-good@2024-04-01");
    assertThat(f.path("action").asText()).isEqualTo("finalized");
  }

  @Test
  void aBadAsOfIsNamed() {
    Run r = run("invoice", "run", "--period", "2024-04", "--as-of", "tomorrow");
    assertThat(r.code()).isEqualTo(TallyCli.EXIT_INPUT);
    assertThat(r.err()).contains("--as-of: must be an RFC 3339 time");
  }
}
