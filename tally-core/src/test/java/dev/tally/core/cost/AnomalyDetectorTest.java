package dev.tally.core.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.cost.CostDataGenerator.Charge;
import dev.tally.core.cost.CostDataGenerator.Service;
import dev.tally.core.cost.CostDataGenerator.Spike;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {
  private static final LocalDate FROM = LocalDate.of(2024, 1, 1);

  private static List<BigDecimal> daily(List<Charge> charges) {
    Map<LocalDate, BigDecimal> byDay = new TreeMap<>();
    charges.forEach(c -> byDay.merge(c.day(), c.cost(), BigDecimal::add));
    return new ArrayList<>(byDay.values());
  }

  private static List<Charge> year(List<Spike> spikes) {
    return CostDataGenerator.usage(FROM, FROM.plusDays(120), List.of(
        new Service("Compute", new BigDecimal("100"), new BigDecimal("0.5"), "111", "us-east-1"),
        new Service("Storage", new BigDecimal("40"), new BigDecimal("0.1"), "222", "eu-west-1")),
        new BigDecimal("0.02"), spikes, 7L);
  }

  @Test
  void findsTheInjectedSpikeAndNothingElse() {
    LocalDate spikeDay = FROM.plusDays(75);
    List<Assessment> judged = AnomalyDetector.assess(FROM, daily(year(List.of(
        new Spike(spikeDay, "Storage", new BigDecimal("90"))))), AnomalySettings.defaults());
    assertThat(judged).filteredOn(Assessment::anomaly).extracting(Assessment::day).containsExactly(spikeDay);
    Assessment a = judged.stream().filter(Assessment::anomaly).findFirst().orElseThrow();
    // The impact is the spike give or take the noise the band allows.
    assertThat(a.impact()).isBetween(new BigDecimal("80"), new BigDecimal("100"));
    assertThat(a.score()).isGreaterThan(AnomalySettings.DEFAULT_BAND);
  }

  @Test
  void judgesOnlyAfterTheMinimumHistoryCountedFromTheFirstCharge() {
    List<BigDecimal> values = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      values.add(BigDecimal.ZERO);
    }
    values.addAll(daily(year(List.of())).subList(0, 20));
    List<Assessment> judged = AnomalyDetector.assess(FROM, values, AnomalySettings.defaults());
    assertThat(judged).hasSize(10);
    assertThat(judged.get(0).day()).isEqualTo(FROM.plusDays(5 + 10));
  }

  @Test
  void thresholdsSuppressSmallImpacts() {
    LocalDate spikeDay = FROM.plusDays(75);
    List<BigDecimal> values = daily(year(List.of(new Spike(spikeDay, "Storage", new BigDecimal("90")))));
    AnomalySettings strictMoney = AnomalySettings.defaults().withThresholds(new BigDecimal("500"), BigDecimal.ZERO);
    assertThat(AnomalyDetector.assess(FROM, values, strictMoney)).noneMatch(Assessment::anomaly);
    AnomalySettings strictPercent = AnomalySettings.defaults().withThresholds(BigDecimal.ZERO, new BigDecimal("80"));
    assertThat(AnomalyDetector.assess(FROM, values, strictPercent)).noneMatch(Assessment::anomaly);
  }

  @Test
  void aSpikeDoesNotWidenTheBandForTheDaysAfterIt() {
    LocalDate spikeDay = FROM.plusDays(60);
    List<Assessment> withSpike = AnomalyDetector.assess(FROM, daily(year(List.of(
        new Spike(spikeDay, "Compute", new BigDecimal("1000"))))), AnomalySettings.defaults());
    List<Assessment> without = AnomalyDetector.assess(FROM, daily(year(List.of())), AnomalySettings.defaults());
    Assessment after = withSpike.stream().filter(a -> a.day().equals(spikeDay.plusDays(1))).findFirst().orElseThrow();
    Assessment same = without.stream().filter(a -> a.day().equals(spikeDay.plusDays(1))).findFirst().orElseThrow();
    // Replaced by its expected value, the spike leaves the next day's band as it would have been (to the noise it
    // displaced); left in, it would have widened it many times over.
    BigDecimal width = after.upper().subtract(after.lower());
    BigDecimal sameWidth = same.upper().subtract(same.lower());
    assertThat(width.subtract(sameWidth).abs()).isLessThan(sameWidth.multiply(new BigDecimal("0.05")));
    assertThat(after.expected().subtract(same.expected()).abs()).isLessThan(BigDecimal.ONE);
  }

  @Test
  void aLastingShiftIsLearnedNotFlaggedForever() {
    // 60 days around 100, then around 200 for 60 days: the first days of the new level are anomalies, the last
    // weeks are not, because after more than three days running the actual values teach the model the new level.
    List<BigDecimal> values = new ArrayList<>();
    for (int t = 0; t < 120; t++) {
      values.add(BigDecimal.valueOf((t < 60 ? 100 : 200) + (t * 7 % 5)));
    }
    List<Assessment> judged = AnomalyDetector.assess(FROM, values, AnomalySettings.defaults());
    assertThat(judged).filteredOn(Assessment::anomaly).extracting(Assessment::day)
        .contains(FROM.plusDays(60))
        .allSatisfy(d -> assertThat(d).isBefore(FROM.plusDays(90)));
  }
}
