package dev.tally.store.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Aggregation;
import dev.tally.api.ErrorCode;
import dev.tally.api.Event;
import dev.tally.api.Meter;
import dev.tally.api.TallyException;
import dev.tally.store.TallyStore;
import dev.tally.store.TestingClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real store: events ingested, meters and a catalogue applied, invoices run, and every total checked
 * against an independent computation written here from the catalogue's prices, without Tally's pricing code.
 */
class InvoiceRunTest {
  static final String TENANT = "acme-corp";
  static final YearMonth APRIL = YearMonth.of(2024, 4);
  static final YearMonth MAY = YearMonth.of(2024, 5);

  // Prices of plan ai@1, for the independent computation.
  static final Map<String, BigDecimal> TOKEN_PRICE = Map.of("small", new BigDecimal("0.000002"), "large",
      new BigDecimal("0.00001"));
  static final BigDecimal FEE = new BigDecimal("10");
  static final BigDecimal MINIMUM = new BigDecimal("25");

  static final String CATALOG = """
      settings: {gracePeriod: P3D}
      customers:
        - {id: acme, name: Acme, currency: USD, taxRate: 0, subjects: [s1, s2]}
        - {id: beta, name: Beta, currency: USD, taxRate: 20, subjects: [s3]}
        - {id: idle, name: Idle, currency: USD, subjects: [s4]}
      plans:
        - id: ai
          version: 1
          currency: USD
          fixedFee: {amount: 10, timing: arrears}
          minimumCommitment: 25
          charges:
            - id: tokens
              description: AI tokens
              meter: ai_tokens
              unit: tokens
              price:
                model: dimensional
                keys: [model]
                prices:
                  - {match: {model: small}, price: {model: per_unit, unitPrice: 0.000002}}
                  - {match: {model: large}, price: {model: per_unit, unitPrice: 0.00001}}
            - id: requests
              description: API requests
              meter: api_requests
              unit: requests
              price:
                model: graduated
                tiers:
                  - {upTo: 100, unitPrice: 0}
                  - {unitPrice: 0.01}
        - id: ai
          version: 2
          currency: USD
          charges:
            - id: tokens
              meter: ai_tokens
              price: {model: per_unit, unitPrice: 0.000005}
      subscriptions:
        - {id: sub-acme, customer: acme, plan: ai, version: 1, start: 2024-01-01}
        - {id: sub-beta, customer: beta, plan: ai, version: 1, start: 2024-04-11}
        - {id: sub-idle, customer: idle, plan: ai, version: 1, start: 2024-01-01}
      wallets:
        - {id: acme-credit, customer: acme, amount: 20, priority: 1, grantedOn: 2024-01-01}
      """;

  @TempDir Path dir;
  TestingClock clock;
  TallyStore store;
  PricingStore pricing;
  final List<Event> ingested = new ArrayList<>();
  int nextId;

  @BeforeEach
  void open() {
    clock = new TestingClock(Instant.parse("2024-05-10T00:00:00Z"));
    store = TallyStore.open(dir, clock);
    store.meters().apply(TENANT, List.of(
        meter("ai_tokens", "ai.tokens", Aggregation.SUM, "$.tokens", Map.of("model", "$.model")),
        meter("api_requests", "api.request", Aggregation.COUNT, null, Map.of("endpoint", "$.endpoint"))), false);
    pricing = PricingStore.open(store);
    pricing.catalog().apply(TENANT, CATALOG, "catalog.yaml");
    SplittableRandom rnd = new SplittableRandom(7);
    List<Event> events = new ArrayList<>();
    for (String subject : List.of("s1", "s2", "s3")) {
      for (int i = 0; i < 300; i++) {
        Instant t = Instant.parse("2024-04-01T00:00:00Z").plusSeconds(rnd.nextLong(61L * 86_400));
        if (rnd.nextBoolean()) {
          events.add(event("ai.tokens", subject, t, "{\"model\":\"" + (rnd.nextBoolean() ? "small" : "large")
              + "\",\"tokens\":" + rnd.nextInt(1, 200_000) + "}"));
        } else {
          events.add(event("api.request", subject, t, "{\"endpoint\":\"/v1/chat\"}"));
        }
      }
    }
    ingest(events);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void monthTotalsMatchAnIndependentComputation() {
    List<InvoiceRunner.Outcome> run = pricing.runner().run(TENANT, APRIL, Set.of());
    assertThat(run).extracting(o -> o.invoice().id())
        .containsExactly("sub-acme@2024-04-01", "sub-beta@2024-04-11", "sub-idle@2024-04-01");
    assertThat(run).extracting(InvoiceRunner.Outcome::action).containsOnly(InvoiceRunner.Action.FINALIZED);
    Map<String, BigDecimal> expected = new HashMap<>();
    expected.put("acme", expectedBeforeCredits(List.of("s1", "s2"), "2024-04-01", "2024-05-01", 30, 30, "0"));
    expected.put("beta", expectedBeforeCredits(List.of("s3"), "2024-04-11", "2024-05-01", 20, 30, "20"));
    expected.put("idle", expectedBeforeCredits(List.of("s4"), "2024-04-01", "2024-05-01", 30, 30, "0"));
    for (InvoiceRunner.Outcome o : run) {
      StoredInvoice inv = o.invoice();
      assertThat(inv.totalBeforeCredits()).as(inv.id()).isEqualByComparingTo(expected.get(inv.customer()));
      BigDecimal sum = BigDecimal.ZERO;
      for (JsonNode l : inv.doc().path("lines")) {
        sum = sum.add(l.path("amount").decimalValue());
      }
      assertThat(inv.total()).as("total = sum of lines of " + inv.id()).isEqualByComparingTo(sum);
    }
    // acme's 20 of credit pays part of its invoice.
    StoredInvoice acme = run.get(0).invoice();
    assertThat(acme.total()).isEqualByComparingTo(expected.get("acme").subtract(new BigDecimal("20")).max(
        BigDecimal.ZERO));
    // The idle customer has no usage: its invoice is the fee and the true-up to the minimum.
    assertThat(run.get(2).invoice().total()).isEqualByComparingTo("25.00");
  }

  @Test
  void rerunningIsIdempotentAndNumbersHaveNoGaps() {
    List<InvoiceRunner.Outcome> first = pricing.runner().run(TENANT, APRIL, Set.of());
    List<InvoiceRunner.Outcome> second = pricing.runner().run(TENANT, APRIL, Set.of());
    assertThat(second).extracting(InvoiceRunner.Outcome::action).containsOnly(InvoiceRunner.Action.ALREADY_FINAL);
    assertThat(second).extracting(o -> o.invoice().doc()).isEqualTo(first.stream().map(o -> o.invoice().doc())
        .toList());
    assertThat(first).extracting(o -> o.invoice().number().orElseThrow())
        .containsExactly("INV-000001", "INV-000002", "INV-000003");
    for (InvoiceRunner.Outcome o : first) {
      assertThat(InvoiceStore.contentHash(o.invoice().doc())).isEqualTo(o.invoice().contentHash().orElseThrow());
    }
  }

  @Test
  void draftsFollowLateEventsWithinTheGracePeriodThenFinalise() {
    clock.set("2024-05-02T00:00:00Z"); // April ended, grace (3 days) not over
    List<InvoiceRunner.Outcome> drafts = pricing.runner().run(TENANT, APRIL, Set.of("acme"));
    assertThat(drafts).singleElement().satisfies(o -> {
      assertThat(o.action()).isEqualTo(InvoiceRunner.Action.CREATED);
      assertThat(o.invoice().number()).isEmpty();
    });
    assertThat(pricing.runner().run(TENANT, APRIL, Set.of("acme")).get(0).action())
        .isEqualTo(InvoiceRunner.Action.UNCHANGED);
    ingest(List.of(event("api.request", "s1", Instant.parse("2024-04-30T23:00:00Z"), "{\"endpoint\":\"/v1/x\"}")));
    InvoiceRunner.Outcome updated = pricing.runner().run(TENANT, APRIL, Set.of("acme")).get(0);
    assertThat(updated.action()).isEqualTo(InvoiceRunner.Action.UPDATED);
    assertThat(updated.invoice().totalBeforeCredits())
        .isEqualByComparingTo(expectedBeforeCredits(List.of("s1", "s2"), "2024-04-01", "2024-05-01", 30, 30, "0"));
    clock.set("2024-05-04T00:00:00Z");
    InvoiceRunner.Outcome fin = pricing.runner().run(TENANT, APRIL, Set.of("acme")).get(0);
    assertThat(fin.action()).isEqualTo(InvoiceRunner.Action.FINALIZED);
    assertThat(fin.invoice().number()).contains("INV-000001");
  }

  @Test
  void lateEventsForAFinalInvoiceBecomeOneAdjustmentOnTheNextInvoice() {
    StoredInvoice april = pricing.runner().run(TENANT, APRIL, Set.of("acme")).get(0).invoice();
    // 200 requests more for April, well past the free tier: 200 × 0.01 = 2.00 more.
    List<Event> late = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      late.add(event("api.request", "s2", Instant.parse("2024-04-15T12:00:00Z"), "{\"endpoint\":\"/v1/late\"}"));
    }
    ingest(late);
    clock.set("2024-06-10T00:00:00Z");
    StoredInvoice may = pricing.runner().run(TENANT, MAY, Set.of("acme")).get(0).invoice();
    List<JsonNode> adjustments = lines(may, "adjustment");
    assertThat(adjustments).singleElement().satisfies(a -> {
      assertThat(a.path("amount").decimalValue()).isEqualByComparingTo("2.00");
      assertThat(a.path("quantity").decimalValue()).isEqualByComparingTo("200");
      assertThat(a.path("reference").asText()).isEqualTo(april.id());
    });
    // April itself never changes.
    assertThat(pricing.invoices().require(TENANT, april.id()).doc()).isEqualTo(april.doc());
    // The difference is billed once: June's invoice carries no second adjustment.
    clock.set("2024-07-10T00:00:00Z");
    StoredInvoice june = pricing.runner().run(TENANT, YearMonth.of(2024, 6), Set.of("acme")).get(0).invoice();
    assertThat(lines(june, "adjustment")).isEmpty();
  }

  @Test
  void lateUsageIsCarriedByTheFirstDraftOnlyWhenSeveralAreOpen() {
    StoredInvoice april = pricing.runner().run(TENANT, APRIL, Set.of("acme")).get(0).invoice();
    List<Event> late = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      late.add(event("api.request", "s1", Instant.parse("2024-04-20T12:00:00Z"), "{\"endpoint\":\"/v1/late\"}"));
    }
    ingest(late);
    clock.set("2024-06-02T00:00:00Z"); // May in its grace period, June under way: both drafts
    StoredInvoice may = pricing.runner().run(TENANT, MAY, Set.of("acme")).get(0).invoice();
    StoredInvoice june = pricing.runner().run(TENANT, YearMonth.of(2024, 6), Set.of("acme")).get(0).invoice();
    assertThat(lines(may, "adjustment")).singleElement()
        .satisfies(a -> assertThat(a.path("amount").decimalValue()).isEqualByComparingTo("3.00"));
    assertThat(lines(june, "adjustment")).isEmpty();
    clock.set("2024-06-10T00:00:00Z");
    StoredInvoice mayFinal = pricing.runner().run(TENANT, MAY, Set.of("acme")).get(0).invoice();
    StoredInvoice juneAgain = pricing.runner().run(TENANT, YearMonth.of(2024, 6), Set.of("acme")).get(0).invoice();
    assertThat(mayFinal.status()).isEqualTo(StoredInvoice.Status.FINAL);
    assertThat(lines(mayFinal, "adjustment")).singleElement()
        .satisfies(a -> assertThat(a.path("reference").asText()).isEqualTo(april.id()));
    assertThat(lines(juneAgain, "adjustment")).isEmpty();
  }

  @Test
  void weeklyInvoicesFinalisedInOneRunCarryALateDifferenceOnce() {
    pricing.catalog().apply(TENANT, """
        customers:
          - {id: wk, name: Weekly, currency: USD, subjects: [s9]}
        plans:
          - {id: weekly, version: 1, currency: USD, interval: week,
             charges: [{id: requests, meter: api_requests, unit: requests, price: {model: per_unit, unitPrice: 0.01}}]}
        subscriptions:
          - {id: sub-wk, customer: wk, plan: weekly, version: 1, start: 2024-04-01}
        """, "weekly.yaml");
    ingest(List.of(event("api.request", "s9", Instant.parse("2024-04-02T00:00:00Z"), "{}")));
    clock.set("2024-04-12T00:00:00Z"); // the first week (April 1 to 8) is past its grace period, the others are not
    List<InvoiceRunner.Outcome> first = pricing.runner().run(TENANT, APRIL, Set.of("wk"));
    assertThat(first).extracting(o -> o.invoice().status().label())
        .containsExactly("final", "draft", "draft", "draft", "draft");
    List<Event> late = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      late.add(event("api.request", "s9", Instant.parse("2024-04-03T00:00:00Z"), "{}"));
    }
    ingest(late);
    clock.set("2024-05-20T00:00:00Z"); // every other week of April is finalised by this one run
    List<InvoiceRunner.Outcome> second = pricing.runner().run(TENANT, APRIL, Set.of("wk"));
    assertThat(second).extracting(InvoiceRunner.Outcome::action).containsExactly(InvoiceRunner.Action.ALREADY_FINAL,
        InvoiceRunner.Action.FINALIZED, InvoiceRunner.Action.FINALIZED, InvoiceRunner.Action.FINALIZED,
        InvoiceRunner.Action.FINALIZED);
    List<JsonNode> adjustments = new ArrayList<>();
    second.forEach(o -> adjustments.addAll(lines(o.invoice(), "adjustment")));
    assertThat(adjustments).singleElement()
        .satisfies(a -> assertThat(a.path("amount").decimalValue()).isEqualByComparingTo("0.07"));
    assertThat(lines(second.get(1).invoice(), "adjustment")).hasSize(1);
  }

  @Test
  void simulationUnderTheCurrentPlanReproducesTheInvoicesAndTouchesNothing() {
    pricing.runner().run(TENANT, APRIL, Set.of());
    List<StoredInvoice> before = pricing.invoices().list(TENANT, Optional.empty(), Optional.empty());
    Simulator.Result same = pricing.simulator().simulate(TENANT, "ai@1", LocalDate.parse("2024-04-01"),
        LocalDate.parse("2024-05-01"), Set.of());
    assertThat(same.customers()).hasSize(3).allSatisfy(c -> {
      assertThat(c.difference()).isEqualByComparingTo("0");
      assertThat(c.periods()).allMatch(Simulator.PeriodResult::invoiced);
    });
    Simulator.Result other = pricing.simulator().simulate(TENANT, "ai", LocalDate.parse("2024-04-01"),
        LocalDate.parse("2024-05-01"), Set.of("acme"));
    assertThat(other.plan()).isEqualTo("ai@2");
    BigDecimal tokens = quantity(List.of("s1", "s2"), "ai.tokens", null, "2024-04-01", "2024-05-01");
    assertThat(other.customers().get(0).simulated())
        .isEqualByComparingTo(tokens.multiply(new BigDecimal("0.000005")).setScale(2, RoundingMode.HALF_UP));
    assertThat(pricing.invoices().list(TENANT, Optional.empty(), Optional.empty())).isEqualTo(before);
  }

  @Test
  void explainListsTheEventsBehindAQuantity() {
    StoredInvoice inv = pricing.runner().run(TENANT, APRIL, Set.of("acme")).get(0).invoice();
    JsonNode explained = pricing.explainer().explain(TENANT, inv.reference(), OptionalInt.empty());
    int line = 0;
    for (JsonNode l : explained.path("lines")) {
      if (l.path("kind").asText().equals("usage") && l.path("charge").asText().equals("tokens")
          && l.path("groups").path("model").asText().equals("large")) {
        line = l.path("number").asInt();
        assertThat(l.path("explanation").path("query").path("meterSlug").asText()).isEqualTo("ai_tokens");
        assertThat(l.path("explanation").path("query").path("filterGroupBy").path("model").asText())
            .isEqualTo("large");
      }
    }
    assertThat(line).isPositive();
    List<InvoiceExplainer.EventRow> events = pricing.explainer().events(TENANT, inv.reference(), line, 10_000);
    BigDecimal sum = events.stream().map(e -> e.value().orElseThrow()).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(sum).isEqualByComparingTo(quantity(List.of("s1", "s2"), "ai.tokens", "large", "2024-04-01",
        "2024-05-01"));
    assertThat(events).allMatch(e -> e.data().contains("\"large\""));
    assertThatThrownBy(() -> pricing.explainer().events(TENANT, inv.reference(), 99, 10))
        .hasMessageContaining("has lines 1 to");
  }

  @Test
  void focusRowsAddUpToTheInvoiceTotals() {
    pricing.runner().run(TENANT, APRIL, Set.of());
    List<StoredInvoice> all = pricing.invoices().list(TENANT, Optional.of(APRIL), Optional.empty());
    String focus = InvoiceExport.focus(all, Map.of("acme", "Acme"));
    List<String> rows = focus.lines().toList();
    assertThat(rows.get(0)).startsWith("BilledCost,EffectiveCost,ListCost");
    BigDecimal billed = rows.stream().skip(1).map(r -> new BigDecimal(r.substring(0, r.indexOf(','))))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal totals = all.stream().map(StoredInvoice::total).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(billed).isEqualByComparingTo(totals);
    assertThat(focus).contains(",Usage,").contains(",Purchase,").contains(",Tax,").contains(",Credit,");
    assertThat(InvoiceExport.csv(all).lines().count() - 1).isEqualTo(rows.size() - 1);
  }

  @Test
  void planVersionsAreImmutableAndReferencesAreChecked() {
    String changed = CATALOG.replace("minimumCommitment: 25", "minimumCommitment: 30");
    assertThatThrownBy(() -> pricing.catalog().apply(TENANT, changed, "changed.yaml"))
        .isInstanceOfSatisfying(TallyException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
          assertThat(e.problems().get(0).field()).isEqualTo("plans[0].version");
        });
    String unknownMeter = """
        plans:
          - {id: x, version: 1, currency: USD, charges: [{id: c, meter: nope, price: {model: flat, amount: 1}}]}
        subscriptions:
          - {id: s, customer: ghost, plan: x, version: 1, start: 2024-01-01}
        """;
    assertThatThrownBy(() -> pricing.catalog().apply(TENANT, unknownMeter, "bad.yaml"))
        .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.problems())
            .extracting(p -> p.field()).containsExactly("plans[0].charges[0].meter", "subscriptions[0].customer"));
    CatalogStore.ApplyResult again = pricing.catalog().apply(TENANT, CATALOG, "catalog.yaml");
    assertThat(again.created()).isEmpty();
    assertThat(again.replaced()).isEmpty();
  }

  @Test
  void demoCatalogueAppliesToTheDemoMeters() {
    store.meters().apply("demo", dev.tally.core.demo.DemoData.meters(), false);
    CatalogStore.ApplyResult r = pricing.catalog().apply("demo", PricingStore.demoCatalog(), "demo-catalog.yaml");
    assertThat(r.created()).containsEntry("customers", 40).containsEntry("plans", 3);
  }

  // ---- the independent computation ----

  /** Fee + tokens + requests, trued up to the minimum, prorated by days, then taxed. */
  BigDecimal expectedBeforeCredits(List<String> subjects, String from, String to, int activeDays, int days,
      String taxPercent) {
    BigDecimal fee = FEE.multiply(BigDecimal.valueOf(activeDays)).divide(BigDecimal.valueOf(days), 2,
        RoundingMode.HALF_UP);
    BigDecimal charges = fee;
    for (String model : List.of("large", "small")) {
      BigDecimal q = quantity(subjects, "ai.tokens", model, from, to);
      if (q.signum() > 0) {
        charges = charges.add(q.multiply(TOKEN_PRICE.get(model)).setScale(2, RoundingMode.HALF_UP));
      }
    }
    BigDecimal requests = quantity(subjects, "api.request", null, from, to);
    charges = charges.add(requests.subtract(new BigDecimal("100")).max(BigDecimal.ZERO)
        .multiply(new BigDecimal("0.01")).setScale(2, RoundingMode.HALF_UP));
    BigDecimal minimum = MINIMUM.multiply(BigDecimal.valueOf(activeDays)).divide(BigDecimal.valueOf(days), 2,
        RoundingMode.HALF_UP);
    BigDecimal subtotal = charges.max(minimum);
    return subtotal.add(subtotal.multiply(new BigDecimal(taxPercent)).divide(new BigDecimal("100"))
        .setScale(2, RoundingMode.HALF_UP));
  }

  /** Tokens (or request count) of the subjects in [from, to), straight from the events list. */
  BigDecimal quantity(List<String> subjects, String type, String model, String from, String to) {
    Instant f = LocalDate.parse(from).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    Instant t = LocalDate.parse(to).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    BigDecimal sum = BigDecimal.ZERO;
    for (Event e : ingested) {
      Instant at = e.time().orElseThrow();
      if (!e.type().equals(type) || !subjects.contains(e.subject()) || at.isBefore(f) || !at.isBefore(t)) {
        continue;
      }
      if (type.equals("api.request")) {
        sum = sum.add(BigDecimal.ONE);
      } else if (model == null || e.data().contains("\"" + model + "\"")) {
        String d = e.data();
        sum = sum.add(new BigDecimal(d.substring(d.indexOf("\"tokens\":") + 9, d.length() - 1)));
      }
    }
    return sum;
  }

  private void ingest(List<Event> events) {
    store.ingestor().ingest(TENANT, events, clock.instant());
    ingested.addAll(events);
  }

  private Event event(String type, String subject, Instant t, String data) {
    return Event.of("e" + (nextId++), "test", type, subject, t, data);
  }

  private static List<JsonNode> lines(StoredInvoice inv, String kind) {
    List<JsonNode> out = new ArrayList<>();
    inv.doc().path("lines").forEach(l -> {
      if (l.path("kind").asText().equals(kind)) {
        out.add(l);
      }
    });
    return out;
  }

  private static Meter meter(String slug, String type, Aggregation agg, String value, Map<String, String> groupBy) {
    return new Meter(slug, "", type, agg, Optional.ofNullable(value), new LinkedHashMap<>(groupBy), Optional.empty());
  }
}
