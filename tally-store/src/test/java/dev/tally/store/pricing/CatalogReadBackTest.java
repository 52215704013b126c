package dev.tally.store.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.ErrorCode;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The catalogue read back, section by section, exactly as declared; and a credit wallet's balance and ledger: the
 * worked example of docs/pricing.md ("A wallet's balance and ledger").
 */
class CatalogReadBackTest extends OnPricingBed {
  static final String CATALOG = """
      customers:
        - {id: acme, name: Acme, currency: USD, subjects: [a1]}
      plans:
        - {id: api, version: 1, currency: USD, charges: [{id: req, meter: requests, price: {model: per_unit, unitPrice: 1}}]}
      subscriptions:
        - {id: sub-acme, customer: acme, plan: api, version: 1, start: 2024-01-01}
      wallets:
        - {id: acme-promo, customer: acme, amount: 100, grantedOn: 2024-01-01, expiresOn: 2024-04-01}
      coupons:
        - {code: WELCOME, type: fixed, value: 5, duration: once}
      """;

  CatalogReadBackTest() {
    super("2024-03-02T00:00:00Z", CATALOG);
  }

  @BeforeEach
  void ingest() {
    bed.requests("a1", 30, "2024-01-15T00:00:00Z");
    bed.requests("a1", 45, "2024-02-15T00:00:00Z");
    bed.requests("a1", 10, "2024-03-15T00:00:00Z");
  }

  @Test
  void sectionsReadBackAsDeclaredAndApplyAgainUnchanged() throws Exception {
    List<CatalogStore.Entry> customers = bed.pricing.catalog().list(PricingBed.TENANT, "customers");
    assertThat(customers).singleElement().satisfies(e -> {
      assertThat(e.id()).isEqualTo("acme");
      assertThat(e.declared().path("name").asText()).isEqualTo("Acme");
      assertThat(e.updatedAt()).isEqualTo(bed.clock.instant());
    });
    assertThat(bed.pricing.catalog().require(PricingBed.TENANT, "plans", "api@1").declared().path("charges"))
        .hasSize(1);
    // Every section written back as a catalogue applies again with nothing changed.
    var root = Json.json().createObjectNode();
    for (String section : CatalogStore.SECTIONS) {
      var a = root.putArray(section);
      bed.pricing.catalog().list(PricingBed.TENANT, section).forEach(e -> a.add(e.declared()));
    }
    CatalogStore.ApplyResult again = bed.pricing.catalog().apply(PricingBed.TENANT, root.toString(), "back.json");
    assertThat(again.created()).isEmpty();
    assertThat(again.replaced()).isEmpty();
    assertThat(again.unchanged()).containsEntry("customers", 1).containsEntry("plans", 1)
        .containsEntry("subscriptions", 1).containsEntry("wallets", 1).containsEntry("coupons", 1);

    assertThatThrownBy(() -> bed.pricing.catalog().require(PricingBed.TENANT, "plans", "api@9"))
        .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(() -> bed.pricing.catalog().list(PricingBed.TENANT, "widgets"))
        .hasMessageContaining("section: must be one of customers, plans, subscriptions, discounts, coupons, wallets");
  }

  @Test
  void aWalletsLedgerShowsTheGrantEachUseReservationsAndTheExpiry() {
    // March 2: January is final (uses 30.00), February is a draft in its grace period (reserves 45.00).
    bed.pricing.runner().run(PricingBed.TENANT, YearMonth.of(2024, 1), Set.of());
    bed.pricing.runner().run(PricingBed.TENANT, YearMonth.of(2024, 2), Set.of());
    WalletLedger.Ledger mid = bed.pricing.wallets().ledger(PricingBed.TENANT, "acme-promo");
    assertThat(mid.on()).hasToString("2024-03-02");
    assertThat(List.of(mid.granted(), mid.used(), mid.reserved(), mid.expired(), mid.available()))
        .extracting(Object::toString).containsExactly("100.00", "30.00", "45.00", "0.00", "25.00");
    assertThat(mid.entries()).extracting(e -> e.date() + " " + e.kind() + " " + e.amount() + " "
        + e.invoiceNumber().or(e::invoiceId).orElse("-") + " " + e.balance()).containsExactly(
            "2024-01-01 GRANT 100.00 - 100.00",
            "2024-02-01 USE -30.00 INV-000001 70.00",
            "2024-03-01 RESERVE -45.00 sub-acme@2024-02-01 25.00");

    // April 10: February is final, and the 25.00 left expired on April 1 (March's invoice, issued that day, cannot
    // use it: a wallet pays invoices issued before its expiry).
    bed.clock.set("2024-04-10T00:00:00Z");
    bed.pricing.runner().run(PricingBed.TENANT, YearMonth.of(2024, 2), Set.of());
    StoredInvoice march = bed.pricing.runner().run(PricingBed.TENANT, YearMonth.of(2024, 3), Set.of()).get(0)
        .invoice();
    assertThat(march.total()).isEqualByComparingTo("10.00");
    WalletLedger.Ledger end = bed.pricing.wallets().ledger(PricingBed.TENANT, "acme-promo");
    assertThat(List.of(end.granted(), end.used(), end.reserved(), end.expired(), end.available()))
        .extracting(Object::toString).containsExactly("100.00", "75.00", "0.00", "25.00", "0.00");
    assertThat(end.entries()).extracting(e -> e.date() + " " + e.kind() + " " + e.amount() + " "
        + e.invoiceNumber().or(e::invoiceId).orElse("-") + " " + e.balance()).containsExactly(
            "2024-01-01 GRANT 100.00 - 100.00",
            "2024-02-01 USE -30.00 INV-000001 70.00",
            "2024-03-01 USE -45.00 INV-000002 25.00",
            "2024-04-01 EXPIRY -25.00 - 0.00");
    // As of a day before the expiry, nothing has expired yet.
    assertThat(bed.pricing.wallets().ledger(PricingBed.TENANT, "acme-promo",
        Optional.of(java.time.LocalDate.parse("2024-03-31"))).available()).isEqualByComparingTo("25.00");
    assertThat(end.toJson().path("balance").path("expired").decimalValue()).isEqualByComparingTo("25.00");
  }
}
