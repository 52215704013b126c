package dev.tally.store.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Event;
import dev.tally.api.UsageQuery;
import dev.tally.api.UsageRow;
import dev.tally.core.demo.DemoData;
import dev.tally.core.json.Json;
import dev.tally.store.TallyStore;
import dev.tally.store.TestingClock;
import dev.tally.store.demo.DemoLoader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo tenant (its first 12 customers) invoiced for the whole of 2024 with the demo catalogue, and every invoice
 * of a Pro customer ({@code c01}) and of a Starter customer with tax and a coupon ({@code c12}) checked against a
 * computation written here from the catalogue's prices and the generated events, without Tally's pricing code.
 * Storage quantities (GB-hours of hourly samples) come from the store's metering engine, whose time-weighted sums
 * have their own oracle tests.
 */
class DemoInvoicesTest {
  static final String[] MODELS = {"gpt-4o", "claude-sonnet", "llama-70b", "mistral-large"};
  static final Map<String, BigDecimal> LIST_PRICE = Map.of(
      "gpt-4o/input", new BigDecimal("0.0000025"), "gpt-4o/output", new BigDecimal("0.00001"),
      "claude-sonnet/input", new BigDecimal("0.000003"), "claude-sonnet/output", new BigDecimal("0.000015"),
      "llama-70b/input", new BigDecimal("0.0000006"), "llama-70b/output", new BigDecimal("0.0000008"),
      "mistral-large/input", new BigDecimal("0.000002"), "mistral-large/output", new BigDecimal("0.000006"));

  @TempDir Path dir;

  @Test
  void aYearOfInvoicesMatchesAnIndependentComputation() {
    DemoData demo = new DemoData(42, 12);
    try (TallyStore store = TallyStore.open(dir, new TestingClock(Instant.parse("2025-02-01T00:00:00Z")))) {
      new DemoLoader(store).load("demo", demo);
      PricingStore pricing = PricingStore.open(store);
      pricing.catalog().apply("demo", PricingStore.demoCatalog(), "demo-catalog.yaml");
      Map<String, Map<String, BigDecimal>> usage = new HashMap<>();
      demo.generate(e -> tally(usage, e));
      for (int m = 1; m <= 12; m++) {
        pricing.runner().run("demo", YearMonth.of(2024, m), Set.of("c01", "c12"));
      }
      List<StoredInvoice> c01 = pricing.invoices().list("demo", Optional.empty(), Optional.of("c01"));
      List<StoredInvoice> c12 = pricing.invoices().list("demo", Optional.empty(), Optional.of("c12"));
      assertThat(c01).hasSize(12).allMatch(i -> i.status() == StoredInvoice.Status.FINAL);
      assertThat(c12).hasSize(12);
      for (StoredInvoice inv : c01) {
        YearMonth month = YearMonth.from(inv.activeStart());
        assertThat(inv.totalBeforeCredits()).as("c01 " + month)
            .isEqualByComparingTo(pro(usage, store, "customer-01", month));
      }
      for (StoredInvoice inv : c12) {
        YearMonth month = YearMonth.from(inv.activeStart());
        assertThat(inv.totalBeforeCredits()).as("c12 " + month)
            .isEqualByComparingTo(starterWithTaxAndCoupon(usage, store, "customer-12", month));
      }
      // Invoice numbers are gap-free across the year and both customers.
      assertThat(pricing.invoices().list("demo", Optional.empty(), Optional.empty()))
          .extracting(i -> Integer.parseInt(i.number().orElseThrow().substring(4))).containsExactlyInAnyOrder(
              java.util.stream.IntStream.rangeClosed(1, 24).boxed().toArray(Integer[]::new));
    }
  }

  /** Pro (pro@1): 49 in advance (twice in January), tokens at 80 % of list, tiers, commitment 120, no tax. */
  private static BigDecimal pro(Map<String, Map<String, BigDecimal>> usage, TallyStore store, String subject,
      YearMonth m) {
    Map<String, BigDecimal> u = usage.getOrDefault(subject + "/" + m, Map.of());
    BigDecimal total = m.getMonthValue() == 1 ? new BigDecimal("98.00") : new BigDecimal("49.00");
    for (String model : MODELS) {
      for (String dir : List.of("input", "output")) {
        BigDecimal q = u.getOrDefault("tokens/" + model + "/" + dir, BigDecimal.ZERO);
        if (q.signum() > 0) {
          total = total.add(money(q.multiply(LIST_PRICE.get(model + "/" + dir)).multiply(new BigDecimal("0.8"))));
        }
      }
    }
    BigDecimal chars = u.getOrDefault("chars", BigDecimal.ZERO);
    BigDecimal million = new BigDecimal("1000000");
    total = total.add(money(chars.min(million).multiply(new BigDecimal("0.00002"))
        .add(chars.subtract(million).max(BigDecimal.ZERO).multiply(new BigDecimal("0.000015")))));
    BigDecimal gbHours = storage(store, subject, m);
    total = total.add(money(gbHours.subtract(new BigDecimal("50000")).max(BigDecimal.ZERO)
        .multiply(new BigDecimal("0.00003"))));
    BigDecimal requests = u.getOrDefault("requests", BigDecimal.ZERO);
    if (requests.compareTo(new BigDecimal("1000")) > 0) {
      total = total.add(money(requests.multiply(new BigDecimal("0.0004")).add(BigDecimal.ONE)));
    }
    return total.max(new BigDecimal("120.00"));
  }

  /** Starter (starter@1): list prices, packages of 1000 requests; 20 % tax; coupon WELCOME25 on the first invoice. */
  private static BigDecimal starterWithTaxAndCoupon(Map<String, Map<String, BigDecimal>> usage, TallyStore store,
      String subject, YearMonth m) {
    Map<String, BigDecimal> u = usage.getOrDefault(subject + "/" + m, Map.of());
    BigDecimal total = BigDecimal.ZERO.setScale(2);
    for (String model : MODELS) {
      for (String dir : List.of("input", "output")) {
        BigDecimal q = u.getOrDefault("tokens/" + model + "/" + dir, BigDecimal.ZERO);
        if (q.signum() > 0) {
          total = total.add(money(q.multiply(LIST_PRICE.get(model + "/" + dir))));
        }
      }
    }
    total = total.add(money(u.getOrDefault("chars", BigDecimal.ZERO).multiply(new BigDecimal("0.000025"))));
    total = total.add(money(storage(store, subject, m).multiply(new BigDecimal("0.00004"))));
    BigDecimal packages = u.getOrDefault("requests", BigDecimal.ZERO).divide(new BigDecimal("1000"), 0,
        RoundingMode.CEILING);
    total = total.add(money(packages.multiply(new BigDecimal("0.50"))));
    if (m.getMonthValue() == 1) {
      total = total.subtract(new BigDecimal("25").min(total));
    }
    return total.add(money(total.multiply(new BigDecimal("0.20"))));
  }

  private static BigDecimal storage(TallyStore store, String subject, YearMonth m) {
    Instant from = m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant to = m.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return store.queries().query("demo", new UsageQuery("storage_gb", from, to, Optional.empty(), ZoneId.of("UTC"),
        List.of(subject), List.of(), Map.of())).data().stream().map(UsageRow::value)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static BigDecimal money(BigDecimal exact) {
    return exact.setScale(2, RoundingMode.HALF_UP);
  }

  /** Sums each subject's tokens by model and direction, characters and requests by UTC month. */
  private static void tally(Map<String, Map<String, BigDecimal>> usage, Event e) {
    YearMonth m = YearMonth.from(e.time().orElseThrow().atZone(ZoneOffset.UTC));
    Map<String, BigDecimal> u = usage.computeIfAbsent(e.subject() + "/" + m, k -> new HashMap<>());
    JsonNode data;
    try {
      data = Json.json().readTree(e.data());
    } catch (java.io.IOException ex) {
      throw new IllegalStateException(ex);
    }
    switch (e.type()) {
      case "ai.tokens" -> u.merge("tokens/" + data.path("model").asText() + "/" + data.path("direction").asText(),
          data.path("tokens").decimalValue(), BigDecimal::add);
      case "translation.characters" -> u.merge("chars", data.path("characters").decimalValue(), BigDecimal::add);
      case "api.request" -> u.merge("requests", BigDecimal.ONE, BigDecimal::add);
      default -> { }
    }
  }
}
