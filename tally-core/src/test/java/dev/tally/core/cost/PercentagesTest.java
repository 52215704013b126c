package dev.tally.core.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PercentagesTest {
  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  @Test
  void shareRoundsHalfUpToTwoPlaces() {
    // 1/3 = 33.333...%, 2/3 = 66.666...%, 1/8 = 12.5%, 1/800 = 0.125% -> 0.13
    assertThat(Percentages.share(d("1"), d("3"))).contains(d("33.33"));
    assertThat(Percentages.share(d("2"), d("3"))).contains(d("66.67"));
    assertThat(Percentages.share(d("1"), d("800"))).contains(d("0.13"));
    assertThat(Percentages.share(d("5"), d("0"))).isEmpty();
  }

  @Test
  void growthStatusesAndPercent() {
    Growth up = Growth.of(d("200.00"), d("250.00"));
    assertThat(up.change()).isEqualByComparingTo("50");
    assertThat(up.percent()).contains(d("25.00"));
    assertThat(up.status()).isEqualTo(Growth.Status.UP);
    Growth fresh = Growth.of(d("0"), d("10"));
    assertThat(fresh.status()).isEqualTo(Growth.Status.NEW);
    assertThat(fresh.percent()).isEmpty();
    Growth gone = Growth.of(d("10"), d("0"));
    assertThat(gone.status()).isEqualTo(Growth.Status.GONE);
    assertThat(gone.percent()).contains(d("-100.00"));
    // A credit that shrinks from -10 to -5 went up by 50% of its size.
    assertThat(Growth.of(d("-10"), d("-5")).percent()).contains(d("50.00"));
    assertThat(Growth.of(d("3"), d("3")).status()).isEqualTo(Growth.Status.UNCHANGED);
  }

  @Property
  void sharesOfPositiveGroupsSumToHundredWithinHalfACentEach(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 1_000_000) Integer> cents) {
    List<BigDecimal> values = cents.stream().map(c -> BigDecimal.valueOf(c, 2)).toList();
    BigDecimal total = values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal sum = values.stream().map(v -> Percentages.share(v, total).orElseThrow())
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal tolerance = new BigDecimal("0.005").multiply(BigDecimal.valueOf(values.size()));
    assertThat(sum.subtract(BigDecimal.valueOf(100)).abs()).isLessThanOrEqualTo(tolerance);
  }
}
