package dev.tally.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

  private static double relative(double actual, BigDecimal expected) {
    return Math.abs(actual - expected.doubleValue()) / Math.abs(expected.doubleValue());
  }

  @Test
  void recoversAnExactTrendAndWeeklyPatternClosely() {
    SeasonalTrendModel m = SeasonalTrendModel.fit(MONDAY, exact(28), 56);
    assertThat(m.days()).isEqualTo(28);
    assertThat(m.slope()).isCloseTo(2.0, within(0.02));
    assertThat(m.weekly(1)).isCloseTo(1.1, within(0.005));
    assertThat(m.weekly(7)).isCloseTo(0.75, within(0.005));
    // Day 28 is a Monday: (100 + 56) × 1.1 = 171.6, within half a percent.
    assertThat(relative(m.expected(MONDAY.plusDays(28)), truth(28))).isLessThan(0.005);
    // A near-perfect fit leaves a spread at the 1% floor; a prediction is wider, the more so the further ahead.
    double mean = exact(28).stream().mapToDouble(BigDecimal::doubleValue).sum() / 28;
    assertThat(m.sigma()).isCloseTo(mean * 0.01, within(1e-9));
    // Day 28 is 14.5 days from the window's middle (13.5): 1 + 1/28 + 14.5²/(28·783/12) + 1/4.
    double next = Math.sqrt(1 + 1.0 / 28 + 14.5 * 14.5 / (28 * 783 / 12.0) + 1.0 / 4);
    assertThat(m.predictionSigma(MONDAY.plusDays(28))).isCloseTo(m.sigma() * next, within(1e-9));
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
    assertThat(m.seasonal()).isFalse();
    for (int d = 1; d <= 7; d++) {
      assertThat(m.weekly(d)).isEqualTo(1.0);
    }
    assertThat(m.days()).isEqualTo(10);
    assertThat(m.sigma()).isGreaterThan(10.0);
  }

  @Test
  void aWeekdayThatIsAlwaysZeroIsExpectedZero() {
    List<BigDecimal> noSundays = new ArrayList<>();
    for (int t = 0; t < 28; t++) {
      noSundays.add(t % 7 == 6 ? BigDecimal.ZERO : BigDecimal.valueOf(50));
    }
    SeasonalTrendModel m = SeasonalTrendModel.fit(MONDAY, noSundays, 56);
    assertThat(m.expected(MONDAY.plusDays(34))).isEqualTo(0.0);
    assertThat(m.expected(MONDAY.plusDays(35))).isCloseTo(50.0, within(0.1));
  }

  @Test
  void largeAmountsKeepTheirPrecisionThroughDoubles() {
    // A trillion a day with cents: 15 significant digits, at the edge of what a double carries. The estimates stay
    // within a part in a billion of the truth, far inside the 1% floor of their own spread.
    List<BigDecimal> big = new ArrayList<>();
    for (int t = 0; t < 28; t++) {
      big.add(truth(t).multiply(new BigDecimal("10000000000")).add(new BigDecimal("0.37")));
    }
    SeasonalTrendModel m = SeasonalTrendModel.fit(MONDAY, big, 56);
    BigDecimal truth = truth(28).multiply(new BigDecimal("10000000000")).add(new BigDecimal("0.37"));
    assertThat(relative(m.expected(MONDAY.plusDays(28)), truth)).isLessThan(0.005);
    assertThat(SeasonalTrendModel.estimate(m.expected(MONDAY.plusDays(28))).scale())
        .isEqualTo(SeasonalTrendModel.ESTIMATE_SCALE);
  }

  @Test
  void estimatesBecomeMoneyRoundedToTheNearestMillionth() {
    assertThat(SeasonalTrendModel.estimate(0.5)).hasToString("0.500000");
    assertThat(SeasonalTrendModel.estimate(1.23456789)).hasToString("1.234568");
    assertThat(SeasonalTrendModel.estimate(-2.25)).hasToString("-2.250000");
    assertThat(SeasonalTrendModel.estimate(-7.0000004)).hasToString("-7.000000");
    // Beyond a billion units, the slower exact conversion.
    assertThat(SeasonalTrendModel.estimate(12345678901.25)).hasToString("12345678901.250000");
    assertThatThrownBy(() -> SeasonalTrendModel.estimate(Double.NaN)).isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> SeasonalTrendModel.estimate(Double.POSITIVE_INFINITY))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void creditsAndZerosDoNotBreakTheFit() {
    // Negative days (credits) make a weekday's sum negative: no factors, the line alone, still finite.
    List<BigDecimal> credits = new ArrayList<>();
    for (int t = 0; t < 21; t++) {
      credits.add(BigDecimal.valueOf(t % 7 == 3 ? -40 : 20));
    }
    SeasonalTrendModel m = SeasonalTrendModel.fit(MONDAY, credits, 56);
    assertThat(m.seasonal()).isFalse();
    assertThat(Double.isFinite(m.expected(MONDAY.plusDays(21)))).isTrue();
    List<BigDecimal> zeros = new ArrayList<>();
    for (int t = 0; t < 14; t++) {
      zeros.add(BigDecimal.ZERO);
    }
    SeasonalTrendModel z = SeasonalTrendModel.fit(MONDAY, zeros, 56);
    assertThat(z.expected(MONDAY.plusDays(14))).isEqualTo(0.0);
    assertThat(z.sigma()).isEqualTo(0.0);
  }
}
