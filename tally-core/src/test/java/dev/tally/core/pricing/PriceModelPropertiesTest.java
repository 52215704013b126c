package dev.tally.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Relations between graduated and volume prices over the same tiers (without flat fees). When unit prices fall from
 * tier to tier, volume pricing gives every unit the lowest rate reached, so it never exceeds graduated pricing; when
 * they rise, the reverse holds.
 */
class PriceModelPropertiesTest {
  record Tiers(List<Tier> tiers) {}

  @Property
  void volumeNeverExceedsGraduatedForFallingPrices(@ForAll("falling") Tiers t, @ForAll("quantities") BigDecimal q) {
    BigDecimal graduated = new PriceModel.Graduated(t.tiers()).rate(Usage.of(q)).amount();
    BigDecimal volume = new PriceModel.Volume(t.tiers()).rate(Usage.of(q)).amount();
    assertThat(volume).isLessThanOrEqualTo(graduated);
  }

  @Property
  void graduatedNeverExceedsVolumeForRisingPrices(@ForAll("rising") Tiers t, @ForAll("quantities") BigDecimal q) {
    BigDecimal graduated = new PriceModel.Graduated(t.tiers()).rate(Usage.of(q)).amount();
    BigDecimal volume = new PriceModel.Volume(t.tiers()).rate(Usage.of(q)).amount();
    assertThat(graduated).isLessThanOrEqualTo(volume);
  }

  @Property
  void graduatedIsMonotonicInQuantity(@ForAll("falling") Tiers t, @ForAll("quantities") BigDecimal q,
      @ForAll("quantities") BigDecimal extra) {
    PriceModel g = new PriceModel.Graduated(t.tiers());
    assertThat(g.rate(Usage.of(q.add(extra))).amount()).isGreaterThanOrEqualTo(g.rate(Usage.of(q)).amount());
  }

  @Provide
  Arbitrary<BigDecimal> quantities() {
    return Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("100000")).ofScale(3);
  }

  @Provide
  Arbitrary<Tiers> falling() {
    return tiers(true);
  }

  @Provide
  Arbitrary<Tiers> rising() {
    return tiers(false);
  }

  private Arbitrary<Tiers> tiers(boolean falling) {
    Arbitrary<List<Integer>> widths = Arbitraries.integers().between(1, 20000).list().ofMinSize(0).ofMaxSize(4);
    Arbitrary<List<Integer>> prices = Arbitraries.integers().between(0, 1000).list().ofSize(5);
    return Combinators.combine(widths, prices).as((w, p) -> {
      List<Integer> sorted = new ArrayList<>(p.subList(0, w.size() + 1));
      sorted.sort(falling ? java.util.Comparator.reverseOrder() : java.util.Comparator.naturalOrder());
      List<Tier> tiers = new ArrayList<>();
      long bound = 0;
      for (int i = 0; i < w.size(); i++) {
        bound += w.get(i);
        tiers.add(Tier.upTo(Long.toString(bound), BigDecimal.valueOf(sorted.get(i), 4).toPlainString()));
      }
      tiers.add(Tier.rest(BigDecimal.valueOf(sorted.get(w.size()), 4).toPlainString()));
      return new Tiers(tiers);
    });
  }
}
