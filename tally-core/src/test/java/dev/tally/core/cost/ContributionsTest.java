package dev.tally.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.core.cost.Contributions.Observed;
import dev.tally.core.cost.Contributions.Part;
import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ContributionsTest {
  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  @Test
  void explainRanksByMoneyAndEachDimensionSumsToTheChange() {
    // Base 100 = EC2 60 + S3 40; compare 150 = EC2 100 + S3 30 + RDS 20. Change +50.
    List<Part> parts = List.of(
        new Part("ServiceName", "EC2", d("60"), d("100")),
        new Part("ServiceName", "S3", d("40"), d("30")),
        new Part("ServiceName", "RDS", d("0"), d("20")),
        new Part("RegionId", "us-east-1", d("100"), d("110")),
        new Part("RegionId", "eu-west-1", d("0"), d("40")));
    List<Contribution> out = Contributions.explain(d("100"), d("150"), parts);
    assertThat(out).extracting(Contribution::value)
        .containsExactly("eu-west-1", "EC2", "RDS", "us-east-1", "S3");
    assertThat(out.get(1).change()).isEqualByComparingTo("40");
    assertThat(out.get(1).percent()).contains(d("80.00"));
    assertThat(out.stream().filter(c -> c.value().equals("S3")).findFirst().orElseThrow().percent())
        .contains(d("-20.00"));
    for (String dim : List.of("ServiceName", "RegionId")) {
      assertThat(out.stream().filter(c -> c.dimension().equals(dim)).map(Contribution::change)
          .reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("50");
    }
  }

  @Test
  void aDimensionThatDoesNotAddUpIsRefused() {
    assertThatThrownBy(() -> Contributions.explain(d("10"), d("20"),
        List.of(new Part("ServiceName", "EC2", d("10"), d("19")))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ServiceName");
  }

  @Test
  void againstExpectedSplitsTheExpectationByHistory() {
    // History: EC2 300, S3 100 -> EC2 expected 75% of 40 = 30, S3 10. Actual EC2 130, S3 10: impact 100, all EC2.
    List<Contribution> out = Contributions.againstExpected(d("40"), List.of(
        new Observed("ServiceName", "EC2", d("130"), d("300")),
        new Observed("ServiceName", "S3", d("10"), d("100"))));
    assertThat(out.get(0).value()).isEqualTo("EC2");
    assertThat(out.get(0).change()).isEqualByComparingTo("100");
    assertThat(out.get(0).percent()).contains(d("100.00"));
    assertThat(out.get(1).change()).isEqualByComparingTo("0");
  }

  @Property
  void splitAlwaysSumsExactly(@ForAll @IntRange(min = -1_000_000, max = 1_000_000) int cents,
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 1_000) Integer> weights) {
    BigDecimal amount = BigDecimal.valueOf(cents, 2);
    List<BigDecimal> split = Contributions.split(amount, weights.stream().map(BigDecimal::valueOf).toList());
    assertThat(split).hasSize(weights.size());
    assertThat(split.stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo(amount);
  }
}
