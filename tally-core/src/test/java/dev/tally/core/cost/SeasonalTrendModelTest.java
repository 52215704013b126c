package dev.tally.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeasonalTrendModelTest {
  // A Monday, so index 0 is Monday.
  private static final LocalDate MONDAY = LocalDate.of(2024, 1, 1);
  // Weekdays 1.1, weekends 0.75: they average exactly one.
  private static final String[] WEEKLY = {"1.1", "1.1", "1.1", "1.1", "1.1", "0.75", "0.75"};

  /** (100 + 2t) × weekday factor: an exact line with an exact weekly pattern. */
  private static List<BigDecimal> exact(int days) {
    List<BigDecimal> v = new ArrayList<>();
    for (int t = 0; t < days; t++) {
      v.add(truth(t));
    }
    return v;
  }

  private static BigDecimal truth(int t) {
    return BigDecimal.valueOf(100 + 2L * t).multiply(new BigDecimal(WEEKLY[t % 7]));
  }

  private static double relative(BigDecimal actual, BigDecimal expected) {
    return actual.subtract(expected).abs().doubleValue() / expected.abs().doubleValue();
  }

  @Test
  void recoversAnExactTrendAndWeeklyPatternClosely() {
    SeasonalTrendModel m = SeasonalTrendModel.fit(MONDAY, exact(28), 56);
    assertThat(m.days()).isEqualTo(28);
    assertThat(m.slope().doubleValue()).isCloseTo(2.0, within(0.02));
    assertThat(m.weekly().get(0).doubleValue()).isCloseTo(1.1, within(0.005));
    assertThat(m.weekly().get(6).doubleValue()).isCloseTo(0.75, within(0.005));
    // Day 28 is a Monday: (100 + 56) × 1.1 = 171.6, within half a percent.
    assertThat(relative(m.expected(MONDAY.plusDays(28)), truth(28))).isLessThan(0.005);
    // A near-perfect fit leaves a spread at the 1% floor; a prediction is wider, the more so the further ahead.
    BigDecimal mean = exact(28).stream().reduce(BigDecimal.ZERO, BigDecimal::add).divide(BigDecimal.valueOf(28),
        SeasonalTrendModel.MC);
    assertThat(m.sigma().doubleValue()).isCloseTo(mean.doubleValue() * 0.01, within(1e-9));
    // Day 28 is 14.5 days from the window's middle (13.5): 1 + 1/28 + 14.5²/(28·783/12) + 1/4.
    double next = Math.sqrt(1 + 1.0 / 28 + 14.5 * 14.5 / (28 * 783 / 12.0) + 1.0 / 4);
    assertThat(m.predictionSigma(MONDAY.plusDays(28)).doubleValue())
        .isCloseTo(m.sigma().doubleValue() * next, within(1e-9));
    assertThat(m.predictionSigma(MONDAY.plusDays(60))).isGreaterThan(m.predictionSigma(MONDAY.plusDays(28)));
  }

  @Test
  void windowIsCutToWholeWeeksAndToTheLatestDays() {
    // 40 days into a 30-day window: 28 days, the last ones.
    SeasonalTrendModel m = SeasonalTrendModel.fit(MONDAY, exact(40), 30);
    assertThat(m.days()).isEqualTo(28);
    assertThat(m.origin()).isEqualTo(MONDAY.plusDays(12));
    assertThat(relative(m.expected(MONDAY.plusDays(40)), truth(40))).isLessThan(0.005);
  }

  @Test
  void shortHistoryHasNoWeeklyPattern() {
    List<BigDecimal> alternating = new ArrayList<>();
    for (int t = 0; t < 10; t++) {
      alternating.add(BigDecimal.valueOf(t % 2 == 0 ? 90 : 110));
    }
    SeasonalTrendModel m = SeasonalTrendModel.fit(MONDAY, alternating, 56);
    assertThat(m.weekly()).allSatisfy(w -> assertThat(w).isEqualByComparingTo("1"));
    assertThat(m.days()).isEqualTo(10);
    assertThat(m.sigma()).isGreaterThan(BigDecimal.TEN);
  }

  @Test
  void aWeekdayThatIsAlwaysZeroIsExpectedZero() {
    List<BigDecimal> noSundays = new ArrayList<>();
    for (int t = 0; t < 28; t++) {
      noSundays.add(t % 7 == 6 ? BigDecimal.ZERO : BigDecimal.valueOf(50));
    }
    SeasonalTrendModel m = SeasonalTrendModel.fit(MONDAY, noSundays, 56);
    assertThat(m.expected(MONDAY.plusDays(34))).isEqualByComparingTo("0");
    assertThat(m.expected(MONDAY.plusDays(35)).doubleValue()).isCloseTo(50.0, within(0.1));
  }
}
