package dev.tally.store.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.TallyException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalogue problems are named by their path in the file with the entity's id beside it, entities already stored are
 * named by id and said to be stored, and the message says that nothing was written (and nothing was).
 */
class CatalogProblemsTest {
  @TempDir Path dir;
  PricingBed bed;

  @BeforeEach
  void open() {
    bed = new PricingBed(dir, "2024-05-10T00:00:00Z");
    bed.apply("""
        customers:
          - {id: eu, currency: EUR, subjects: [e1]}
        plans:
          - {id: euro, version: 1, currency: EUR, charges: [{id: req, meter: requests, price: {model: per_unit, unitPrice: 1}}]}
        subscriptions:
          - {id: sub-eur, customer: eu, plan: euro, version: 1, start: 2024-01-01}
        """);
  }

  @AfterEach
  void close() {
    bed.close();
  }

  private TallyException refused(String yaml) {
    try {
      bed.apply(yaml);
    } catch (TallyException e) {
      return e;
    }
    throw new AssertionError("applied: " + yaml);
  }

  @Test
  void anUnknownMeterIsNamedByItsPositionWithThePlanAndChargeIds() {
    TallyException e = refused("""
        plans:
          - id: bad-meter
            version: 1
            currency: USD
            charges:
              - {id: fine, meter: requests, price: {model: per_unit, unitPrice: 1}}
              - {id: ghost, meter: no-such-meter, price: {model: per_unit, unitPrice: 1}}
              - {id: keys, meter: tokens, filter: {region: eu}, price: {model: flat, amount: 1}}
        """);
    assertThat(e.getMessage()).isEqualTo("2 problem(s) in the catalogue once catalog.yaml is merged with what is "
        + "stored; nothing was written");
    assertThat(e.problems()).extracting(p -> p.describe()).containsExactly(
        "plans[0].charges[1].meter: plan bad-meter@1, charge ghost: no meter 'no-such-meter' in tenant 'bill'; "
            + "define it with 'tally meters apply' first (given \"no-such-meter\")",
        "plans[0].charges[2].filter.region: plan bad-meter@1, charge keys: meter 'tokens' has no group-by key "
            + "'region' (it has: model) (given \"region\")");
    assertThat(bed.pricing.catalog().load(PricingBed.TENANT).plan("bad-meter", 1)).isEmpty();
  }

  @Test
  void aCurrencyMismatchInTheFileIsNamedByPositionAndOneWithAStoredEntityById() {
    TallyException inFile = refused("""
        customers:
          - {id: us, currency: USD}
        subscriptions:
          - {id: sub-ok, customer: eu, plan: euro, version: 1, start: 2024-01-01}
          - {id: sub-us, customer: us, plan: euro, version: 1, start: 2024-01-01, coupons: [{code: NOPE, redeemedOn: 2024-01-01}]}
        """);
    assertThat(inFile.problems()).extracting(p -> p.field() + ": " + p.message()).containsExactly(
        "subscriptions[1].plan: subscription sub-us: plan euro@1 is priced in EUR but customer 'us' pays in USD",
        "subscriptions[1].coupons[0].code: subscription sub-us: no coupon 'NOPE'");

    // The file changes a stored customer's currency: the stored subscription, not in the file, is named by id.
    TallyException stored = refused("""
        customers:
          - {id: eu, currency: USD, subjects: [e1]}
        """);
    assertThat(stored.problems()).extracting(p -> p.field() + ": " + p.message()).containsExactly(
        "subscriptions[sub-eur].plan: subscription sub-eur (stored, not in this file): plan euro@1 is priced in EUR "
            + "but customer 'eu' pays in USD");
    assertThat(bed.pricing.catalog().load(PricingBed.TENANT).customer("eu").orElseThrow().currency())
        .isEqualTo("EUR");
  }

  @Test
  void fileAndConflictErrorsSayNothingWasWritten() {
    assertThatThrownBy(() -> bed.apply("customers: [{id: x}]"))
        .hasMessage("1 problem(s) in catalog.yaml; nothing was written");
    assertThatThrownBy(() -> bed.apply("""
        plans:
          - {id: euro, version: 1, currency: EUR, charges: [{id: req, meter: requests, price: {model: per_unit, unitPrice: 2}}]}
        """)).hasMessage("1 problem(s) in catalog.yaml; nothing was written");
  }
}
