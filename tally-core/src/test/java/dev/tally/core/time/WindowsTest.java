package dev.tally.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.WindowSize;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowsTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void parisSpringForwardDayLasts23Hours() {
    List<Window> days = Windows.list(Instant.parse("2024-03-30T23:00:00Z"), Instant.parse("2024-03-31T22:00:00Z"),
        WindowSize.DAY, PARIS);
    assertThat(days).singleElement().satisfies(w ->
        assertThat(Duration.between(w.start(), w.end())).isEqualTo(Duration.ofHours(23)));
  }

  @Test
  void parisFallBackDayLasts25Hours() {
    Instant start = Windows.startOf(Instant.parse("2024-10-27T12:00:00Z"), WindowSize.DAY, PARIS);
    assertThat(start).isEqualTo(Instant.parse("2024-10-26T22:00:00Z"));
    assertThat(Windows.next(start, WindowSize.DAY, PARIS)).isEqualTo(Instant.parse("2024-10-27T23:00:00Z"));
  }

  @Test
  void newYorkDstDays() {
    Instant march = Windows.startOf(Instant.parse("2024-03-10T12:00:00Z"), WindowSize.DAY, NEW_YORK);
    assertThat(Duration.between(march, Windows.next(march, WindowSize.DAY, NEW_YORK))).hasHours(23);
    Instant november = Windows.startOf(Instant.parse("2024-11-03T12:00:00Z"), WindowSize.DAY, NEW_YORK);
    assertThat(Duration.between(november, Windows.next(november, WindowSize.DAY, NEW_YORK))).hasHours(25);
  }

  @Test
  void theRepeatedHourOfAFallBackNightIsTwoWindows() {
    // 2024-10-27 in Paris: 02:00-03:00 happens twice, at 00:00Z (CEST) and at 01:00Z (CET).
    Instant first = Windows.startOf(Instant.parse("2024-10-27T00:30:00Z"), WindowSize.HOUR, PARIS);
    Instant second = Windows.startOf(Instant.parse("2024-10-27T01:30:00Z"), WindowSize.HOUR, PARIS);
    assertThat(first).isEqualTo(Instant.parse("2024-10-27T00:00:00Z"));
    assertThat(second).isEqualTo(Instant.parse("2024-10-27T01:00:00Z"));
    List<Window> hours = Windows.list(Instant.parse("2024-10-26T22:00:00Z"), Instant.parse("2024-10-27T23:00:00Z"),
        WindowSize.HOUR, PARIS);
    assertThat(hours).hasSize(25);
  }

  @Test
  void hourWindowsInAHalfHourZoneAreAlignedToTheLocalClock() {
    ZoneId kolkata = ZoneId.of("Asia/Kolkata");
    assertThat(Windows.startOf(Instant.parse("2024-01-01T10:45:00Z"), WindowSize.HOUR, kolkata))
        .isEqualTo(Instant.parse("2024-01-01T10:30:00Z"));
  }

  @Test
  void monthWindowsFollowTheCalendarIncludingLeapFebruary() {
    List<Window> months = Windows.list(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-04-01T00:00:00Z"),
        WindowSize.MONTH, ZoneId.of("UTC"));
    assertThat(months).extracting(w -> Duration.between(w.start(), w.end()).toDays()).containsExactly(31L, 29L, 31L);
    List<Window> nonLeap = Windows.list(Instant.parse("2023-02-01T00:00:00Z"), Instant.parse("2023-03-01T00:00:00Z"),
        WindowSize.MONTH, ZoneId.of("UTC"));
    assertThat(Duration.between(nonLeap.get(0).start(), nonLeap.get(0).end()).toDays()).isEqualTo(28);
  }

  @Test
  void parisMarchIsOneHourShorterThan31Days() {
    Instant start = Windows.startOf(Instant.parse("2024-03-15T00:00:00Z"), WindowSize.MONTH, PARIS);
    assertThat(start).isEqualTo(Instant.parse("2024-02-29T23:00:00Z"));
    assertThat(Duration.between(start, Windows.next(start, WindowSize.MONTH, PARIS)))
        .isEqualTo(Duration.ofDays(31).minusHours(1));
  }

  @Test
  void windowsAreClippedToTheRange() {
    List<Window> days = Windows.list(Instant.parse("2024-01-01T12:00:00Z"), Instant.parse("2024-01-03T06:00:00Z"),
        WindowSize.DAY, ZoneId.of("UTC"));
    assertThat(days).containsExactly(
        new Window(Instant.parse("2024-01-01T12:00:00Z"), Instant.parse("2024-01-02T00:00:00Z")),
        new Window(Instant.parse("2024-01-02T00:00:00Z"), Instant.parse("2024-01-03T00:00:00Z")),
        new Window(Instant.parse("2024-01-03T00:00:00Z"), Instant.parse("2024-01-03T06:00:00Z")));
  }

  @Test
  void countsWindowsWithoutBuildingThem() {
    Instant from = Instant.parse("2024-01-01T00:00:00Z");
    Instant to = Instant.parse("2025-01-01T00:00:00Z");
    assertThat(Windows.count(from, to, WindowSize.MINUTE, ZoneId.of("UTC"), 10)).isEqualTo(366L * 24 * 60);
    assertThat(Windows.count(from, to, WindowSize.DAY, PARIS, 1000)).isEqualTo(367);
    assertThat(Windows.count(from, to, WindowSize.MONTH, ZoneId.of("UTC"), 1000)).isEqualTo(12);
  }

  @Test
  void timestampsAndZones() {
    assertThat(Timestamps.parse("2024-01-01T00:00:00.123456Z")).isEqualTo(Instant.parse("2024-01-01T00:00:00.123456Z"));
    assertThat(Timestamps.parse("2024-01-01 01:00:00+01:00")).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    assertThat(Timestamps.parseBound("2024-03-31", PARIS)).isEqualTo(Instant.parse("2024-03-30T23:00:00Z"));
    assertThatThrownBy(() -> Timestamps.parse("2024-01-01T00:00:00")).hasMessageContaining("UTC offset");
    assertThatThrownBy(() -> Timestamps.zone("Mars/Olympus")).hasMessageContaining("IANA");
    assertThatThrownBy(() -> Timestamps.zone("+05:30")).hasMessageContaining("IANA");
    assertThat(Timestamps.zone("UTC")).isEqualTo(ZoneId.of("UTC"));
  }
}
