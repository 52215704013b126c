package dev.tally.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CatalogReaderTest {
  static final String CATALOG = """
      settings:
        gracePeriod: P2D
      customers:
        - id: acme
          name: Acme Corp
          currency: usd
          taxRate: 20
          timeZone: Europe/Paris
          subjects: [customer-01, customer-02]
          billing: {country: FR}
      plans:
        - id: ai
          version: 1
          currency: USD
          interval: month
          fixedFee: {amount: 49, timing: advance}
          minimumCommitment: 100
          charges:
            - id: tokens
              meter: ai_tokens
              unit: tokens
              price:
                model: dimensional
                keys: [model]
                prices:
                  - match: {model: small}
                    price: {model: per_unit, unitPrice: 0.000001}
                  - match: {model: large}
                    price: {model: graduated, tiers: [{upTo: 1000000, unitPrice: 0.00001}, {unitPrice: 0.000008}]}
            - id: card
              meter: payments
              price: {model: percentage, percent: 2.9, fixedFeePerEvent: 0.30, minPerEvent: 0.5}
      subscriptions:
        - {id: s1, customer: acme, plan: ai, version: 1, start: 2024-01-01, anchor: anniversary,
           coupons: [{code: WELCOME, redeemedOn: 2024-01-01}]}
      discounts:
        - {id: d1, customer: acme, type: percent, value: 10, charge: tokens, from: 2024-01-01, to: 2024-07-01}
      coupons:
        - {code: WELCOME, type: fixed, value: 20, duration: periods, periods: 3}
      wallets:
        - {id: w1, customer: acme, amount: 100, priority: 1, grantedOn: 2024-01-01, expiresOn: 2025-01-01}
      """;

  @Test
  void readsEverySection() {
    Catalog c = CatalogReader.parseFile(CATALOG, "catalog.yaml");
    assertThat(c.gracePeriod()).contains(Duration.ofDays(2));
    assertThat(c.customers()).singleElement().satisfies(cu -> {
      assertThat(cu.currency()).isEqualTo("USD");
      assertThat(cu.subjects()).containsExactly("customer-01", "customer-02");
    });
    PlanVersion p = c.plan("ai", 1).orElseThrow();
    assertThat(p.fixedFee()).get().extracting(FixedFee::timing).isEqualTo(FixedFee.Timing.ADVANCE);
    assertThat(p.charges().get(0).pricing()).isInstanceOf(Pricing.Dimensional.class);
    assertThat(p.charges().get(0).pricing().modelFor(java.util.Map.of("model", "large")).name())
        .isEqualTo("graduated");
    assertThat(c.subscriptions().get(0).anchor()).isEqualTo(Subscription.Anchor.ANNIVERSARY);
    assertThat(c.coupons().get(0).periods()).hasValue(3);
    assertThat(c.wallets().get(0).amount()).isEqualByComparingTo(new BigDecimal("100"));
  }

  @Test
  void reportsEveryProblemWithItsPath() {
    String bad = """
        plans:
          - id: ai
            version: 0
            currency: EURO
            charges:
              - id: t
                meter: m
                price: {model: graduated, tiers: [{upTo: 10, unitPrice: 1}, {upTo: 5, unitPrice: 1}, {unitPrice: 1}]}
              - id: t
                meter: m
                price: {model: tiered}
        coupons:
          - {code: X, type: percent, value: 150, duration: sometimes}
        """;
    assertThatThrownBy(() -> CatalogReader.parseFile(bad, "bad.yaml"))
        .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.problems()).extracting(Problem::field)
            .contains("plans[0].currency", "plans[0].charges[0].price", "plans[0].charges[1].price.model",
                "coupons[0].duration"));
  }

  @Test
  void refusesUnknownFields() {
    assertThatThrownBy(() -> CatalogReader.parseFile("customers: [{id: a, currency: USD, taxrate: 5}]", "c.yaml"))
        .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.problems()).extracting(Problem::field)
            .containsExactly("customers[0].taxrate"));
  }
}
