package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tally.server.spi.Schedule;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A schedule keeps running after a failed run, and refuses an interval that is not positive. */
class ScheduleTest {
  @Test
  void aFailedRunDoesNotStopTheNextOnes() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    try (Schedule s = Schedule.start("test", Duration.ZERO, Duration.ofMillis(10), () -> {
      if (runs.incrementAndGet() == 1) {
        throw new IllegalStateException("the first run fails");
      }
    })) {
      await().atMost(Duration.ofSeconds(30)).until(() -> s.ticks() >= 3);
    }
    assertThat(runs.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void refusesAnIntervalThatIsNotPositive() {
    assertThatThrownBy(() -> Schedule.start("test", Duration.ZERO, Duration.ZERO, () -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("test interval must be positive");
  }
}
