package dev.tally.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The fast RFC 3339 reader agrees with java.time on every instant and offset, and refuses what java.time refuses. */
class TimestampsProperties {
  @Property(tries = 2000)
  void fastPathAgreesWithJavaTime(@ForAll @LongRange(min = -2_000_000_000L, max = 32_000_000_000L) long epoch,
      @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
      @ForAll @IntRange(min = -18 * 4, max = 18 * 4) int quarterHours,
      @ForAll @IntRange(min = 0, max = 9) int fractionDigits) {
    Instant t = Instant.ofEpochSecond(epoch, nanos);
    ZoneOffset offset = ZoneOffset.ofTotalSeconds(quarterHours * 15 * 60);
    String pattern = "uuuu-MM-dd'T'HH:mm:ss" + (fractionDigits > 0 ? "." + "S".repeat(fractionDigits) : "") + "xxx";
    String text = OffsetDateTime.ofInstant(t, offset).format(DateTimeFormatter.ofPattern(pattern));
    Instant expected = OffsetDateTime.parse(text).toInstant();
    assertThat(Timestamps.parseFast(text)).isEqualTo(expected);
    assertThat(Timestamps.parse(text)).isEqualTo(expected);
  }

  @Test
  void refusesImpossibleDatesAndTimes() {
    for (String bad : new String[] {"2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z",
        "2024-01-01T00:60:00Z", "2024-01-01T00:00:00", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00+1:00",
        "2024-01-01", "2024-01-01T00:00:00.1234567890Z"}) {
      assertThatThrownBy(() -> Timestamps.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(Timestamps.parse("2024-02-29t12:00:00z")).isEqualTo(Instant.parse("2024-02-29T12:00:00Z"));
  }
}
