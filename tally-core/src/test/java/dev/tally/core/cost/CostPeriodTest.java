package dev.tally.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.TallyException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CostPeriodTest {
  @Test
  void monthIsItsDaysHalfOpen() {
    CostPeriod p = CostPeriod.parse("base", "2024-02");
    assertThat(p.start()).isEqualTo(LocalDate.of(2024, 2, 1));
    assertThat(p.end()).isEqualTo(LocalDate.of(2024, 3, 1));
    assertThat(p.days()).isEqualTo(29);
    assertThat(p.label()).isEqualTo("2024-02");
  }

  @Test
  void isoWeekStartsOnMondayAndWeekOneHoldsTheFirstThursday() {
    // 2021-01-01 is a Friday, so ISO week 1 of 2021 starts on Monday 4 January.
    CostPeriod w1 = CostPeriod.parse("base", "2021-W01");
    assertThat(w1.start()).isEqualTo(LocalDate.of(2021, 1, 4));
    assertThat(w1.end()).isEqualTo(LocalDate.of(2021, 1, 11));
    // 2020 has 53 ISO weeks; week 53 runs from 28 December 2020 into 2021.
    CostPeriod w53 = CostPeriod.parse("base", "2020-w53");
    assertThat(w53.label()).isEqualTo("2020-W53");
    assertThat(w53.start()).isEqualTo(LocalDate.of(2020, 12, 28));
    assertThatThrownBy(() -> CostPeriod.parse("base", "2021-W53"))
        .isInstanceOf(TallyException.class).hasMessageContaining("weeks 1 to 52").hasMessageContaining("base");
  }

  @Test
  void dayAndRange() {
    assertThat(CostPeriod.parse("compare", "2024-06-03").days()).isEqualTo(1);
    CostPeriod r = CostPeriod.parse("compare", "2024-06-01..2024-07-01");
    assertThat(r.days()).isEqualTo(30);
    assertThat(r.contains(LocalDate.of(2024, 6, 30))).isTrue();
    assertThat(r.contains(LocalDate.of(2024, 7, 1))).isFalse();
  }

  @Test
  void windowIsInTheZoneAcrossDst() {
    // The Paris month of March 2024 loses an hour on the 31st.
    CostPeriod march = CostPeriod.parse("p", "2024-03");
    var w = march.window(ZoneId.of("Europe/Paris"));
    assertThat(w.start()).isEqualTo(Instant.parse("2024-02-29T23:00:00Z"));
    assertThat(w.end()).isEqualTo(Instant.parse("2024-03-31T22:00:00Z"));
  }

  @Test
  void errorsNameTheFieldAndTheText() {
    assertThatThrownBy(() -> CostPeriod.parse("--base", "June"))
        .isInstanceOf(TallyException.class)
        .hasMessageContaining("--base").hasMessageContaining("YYYY-MM").hasMessageContaining("June");
    assertThatThrownBy(() -> CostPeriod.parse("--base", "2024-13")).hasMessageContaining("not a real date");
    assertThatThrownBy(() -> CostPeriod.parse("--base", "2024-02-30")).hasMessageContaining("not a real date");
    assertThatThrownBy(() -> CostPeriod.parse("--base", "2024-07-01..2024-06-01"))
        .hasMessageContaining("FROM before TO");
    assertThatThrownBy(() -> CostPeriod.parse("--base", "2024-06-01..2024-06-01"))
        .hasMessageContaining("FROM before TO");
  }
}
