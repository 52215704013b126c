package dev.tally.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.TallyException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForecasterTest {
  private static List<BigDecimal> line(int days, int level, int slope) {
    List<BigDecimal> v = new ArrayList<>();
    for (int t = 0; t < days; t++) {
      v.add(BigDecimal.valueOf(level + (long) slope * t));
    }
    return v;
  }

  @Test
  void forecastsTheRestOfTheMonthFromAnExactLine() {
    // 1..20 June 2024 cost 10, 11, ..., 29; the rest of June continues the line: 30 + ... + 39 = 345.
    LocalDate first = LocalDate.of(2024, 6, 1);
    LocalDate asOf = LocalDate.of(2024, 6, 21);
    Forecast f = Forecaster.forecast(first, line(20, 10, 1), asOf, Horizon.MONTH);
    assertThat(f.period().label()).isEqualTo("2024-06");
    assertThat(f.actual()).isEqualByComparingTo("390");
    assertThat(f.remaining()).isEqualByComparingTo("345");
    assertThat(f.total()).isEqualByComparingTo("735");
    assertThat(f.lower()).isLessThan(f.total());
    assertThat(f.upper()).isGreaterThan(f.total());
    assertThat(f.historyDays()).isEqualTo(20);
  }

  @Test
  void quarterCountsActualsOnlyInsideTheQuarter() {
    // 30 days from 2024-06-11 to 2024-07-10 at 10 a day; as of 2024-07-11 the quarter Q3 has 10 days of actuals.
    LocalDate first = LocalDate.of(2024, 6, 11);
    Forecast f = Forecaster.forecast(first, line(30, 10, 0), LocalDate.of(2024, 7, 11), Horizon.QUARTER);
    assertThat(f.period().label()).isEqualTo("2024-Q3");
    assertThat(f.actual()).isEqualByComparingTo("100");
    // 1 Jul .. 30 Sep is 92 days; 82 remain.
    assertThat(f.remaining()).isEqualByComparingTo("820");
  }

  @Test
  void refusesShortHistoryWithTheReason() {
    LocalDate first = LocalDate.of(2024, 6, 1);
    assertThat(Forecaster.refusal(first, line(13, 10, 0), first.plusDays(13), Horizon.MONTH))
        .hasValueSatisfying(r -> assertThat(r).contains("at least 14 days").contains("are 13"));
    assertThatThrownBy(() -> Forecaster.forecast(first, line(13, 10, 0), first.plusDays(13), Horizon.MONTH))
        .isInstanceOfSatisfying(TallyException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("cannot forecast the month from 2024-06-14");
          assertThat(e.problems().get(0).describe()).startsWith("history: a forecast needs at least 14 days");
        });
  }

  @Test
  void refusesAHorizonFarLongerThanTheHistory() {
    LocalDate first = LocalDate.of(2024, 1, 1);
    assertThat(Forecaster.refusal(first, line(20, 10, 0), first.plusDays(20), Horizon.YEAR))
        .hasValueSatisfying(r -> assertThat(r).contains("346 days").contains("20 days of history"));
  }
}
