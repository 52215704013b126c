package dev.tally.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The worked examples of docs/pricing.md, one row each: model, usage, exact amount. */
class PriceModelTest {
  // docs: graduated example. First 1,000 free, next 9,000 at 0.002 (plus a 5.00 fee for entering the tier), the rest
  // at 0.001.
  static final PriceModel GRADUATED = new PriceModel.Graduated(List.of(
      Tier.upTo("1000", "0"), Tier.upTo("10000", "0.002").withFlatFee("5"), Tier.rest("0.001")));
  // docs: volume example. The whole quantity at the rate of the tier it reaches.
  static final PriceModel VOLUME = new PriceModel.Volume(List.of(
      Tier.upTo("1000", "0.003"), Tier.upTo("10000", "0.002"), Tier.rest("0.001").withFlatFee("10")));
  static final PriceModel PACKAGE = new PriceModel.Package(new BigDecimal("1000"), new BigDecimal("1.50"));
  static final PriceModel PER_UNIT = new PriceModel.PerUnit(new BigDecimal("0.0004"));
  static final PriceModel FLAT = new PriceModel.Flat(new BigDecimal("49"));
  // docs: percentage example. 2.9 % + 0.30 per payment, each payment's fee at least 0.50 and at most 10.
  static final PriceModel PERCENT = new PriceModel.Percentage(new BigDecimal("2.9"), new BigDecimal("0.30"),
      Optional.of(new BigDecimal("0.50")), Optional.of(new BigDecimal("10")));

  static Stream<Arguments> quantities() {
    return Stream.of(
        Arguments.of("flat, zero usage", FLAT, "0", "49"),
        Arguments.of("flat, any usage", FLAT, "123456", "49"),
        Arguments.of("per unit", PER_UNIT, "2500000", "1000"),
        Arguments.of("per unit, fractional", PER_UNIT, "12.5", "0.005"),
        Arguments.of("per unit, zero", PER_UNIT, "0", "0"),
        Arguments.of("graduated, zero", GRADUATED, "0", "0"),
        Arguments.of("graduated, inside free tier", GRADUATED, "999", "0"),
        Arguments.of("graduated, at first edge", GRADUATED, "1000", "0"),
        Arguments.of("graduated, just past first edge", GRADUATED, "1001", "5.002"),
        Arguments.of("graduated, at second edge", GRADUATED, "10000", "23"),
        Arguments.of("graduated, worked example", GRADUATED, "25000", "38"),
        Arguments.of("graduated, fractional", GRADUATED, "1000.5", "5.001"),
        Arguments.of("volume, zero", VOLUME, "0", "0"),
        Arguments.of("volume, first tier", VOLUME, "1000", "3"),
        Arguments.of("volume, second tier", VOLUME, "1001", "2.002"),
        Arguments.of("volume, worked example", VOLUME, "25000", "35"),
        Arguments.of("package, zero", PACKAGE, "0", "0"),
        Arguments.of("package, one unit", PACKAGE, "1", "1.50"),
        Arguments.of("package, exact blocks", PACKAGE, "3000", "4.50"),
        Arguments.of("package, rounded up", PACKAGE, "3001", "6.00"),
        Arguments.of("package, fractional", PACKAGE, "0.25", "1.50"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("quantities")
  void ratesWorkedExamples(String name, PriceModel model, String quantity, String expected) {
    Rating r = model.rate(Usage.of(quantity));
    assertThat(r.amount()).isEqualByComparingTo(expected);
    assertThat(r.steps().stream().map(RatingStep::amount).reduce(BigDecimal.ZERO, BigDecimal::add))
        .isEqualByComparingTo(r.amount());
  }

  static Stream<Arguments> payments() {
    return Stream.of(
        Arguments.of("no payments", new String[] {}, "0"),
        // 100 × 2.9 % + 0.30 = 3.20
        Arguments.of("one ordinary payment", new String[] {"100"}, "3.20"),
        // 5 × 2.9 % + 0.30 = 0.445 → raised to 0.50
        Arguments.of("small payment at minimum", new String[] {"5"}, "0.50"),
        // 1000 × 2.9 % + 0.30 = 29.30 → capped at 10
        Arguments.of("large payment at maximum", new String[] {"1000"}, "10"),
        // 3.20 + 0.50 + 10 = 13.70: the worked example
        Arguments.of("worked example", new String[] {"100", "5", "1000"}, "13.70"));
  }

  @ParameterizedTest(name = "percentage: {0}")
  @MethodSource("payments")
  void ratesPercentagePerEvent(String name, String[] values, String expected) {
    Rating r = PERCENT.rate(Usage.ofEvents(Arrays.stream(values).map(BigDecimal::new).toList()));
    assertThat(r.amount()).isEqualByComparingTo(expected);
  }

  @Test
  void plainPercentageNeedsOnlyTheSum() {
    assertThat(PriceModel.Percentage.of("1.5").rate(Usage.of("2000")).amount()).isEqualByComparingTo("30");
  }

  @Test
  void perEventPercentageRefusesASumWithoutEvents() {
    assertThatThrownBy(() -> PERCENT.rate(Usage.of("10"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value of each event");
  }

  @Test
  void graduatedShowsEachTierReached() {
    Rating r = GRADUATED.rate(Usage.of("25000"));
    assertThat(r.steps()).extracting(RatingStep::arithmetic).containsExactly(
        "1000 × 0 = 0", "9000 × 0.002 + 5 = 23", "15000 × 0.001 = 15");
  }

  @Test
  void refusesMalformedTiers() {
    assertThatThrownBy(() -> new PriceModel.Graduated(List.of(Tier.upTo("10", "1"))))
        .hasMessageContaining("last tier");
    assertThatThrownBy(() -> new PriceModel.Volume(List.of(Tier.upTo("10", "1"), Tier.upTo("5", "1"),
        Tier.rest("1")))).hasMessageContaining("tiers[1].upTo");
    assertThatThrownBy(() -> new PriceModel.Package(BigDecimal.ZERO, BigDecimal.ONE)).hasMessageContaining("size");
  }

  @Test
  void dimensionalPicksThePriceOfTheGroup() {
    Pricing p = new Pricing.Dimensional(List.of("model"), List.of(
        new Pricing.DimensionPrice(java.util.Map.of("model", "small"), new PriceModel.PerUnit(new BigDecimal("0.1"))),
        new Pricing.DimensionPrice(java.util.Map.of("model", "large"), new PriceModel.PerUnit(new BigDecimal("1")))),
        Optional.empty());
    assertThat(p.modelFor(java.util.Map.of("model", "large")).rate(Usage.of("3")).amount())
        .isEqualByComparingTo("3");
    assertThatThrownBy(() -> p.modelFor(java.util.Map.of("model", "huge")))
        .hasMessageContaining("no price for model=huge");
  }
}
