package dev.tally.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests set by hand; every view of it ({@link #withZone}) moves with it. */
public final class TestingClock extends Clock {
  private final Instant[] now;
  private final ZoneId zone;

  public TestingClock(Instant now) {
    this(new Instant[] {now}, ZoneOffset.UTC);
  }

  private TestingClock(Instant[] now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  public void set(Instant t) {
    synchronized (now) {
      now[0] = t;
    }
  }

  public void set(String instant) {
    set(Instant.parse(instant));
  }

  public void advance(Duration d) {
    synchronized (now) {
      now[0] = now[0].plus(d);
    }
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new TestingClock(now, zone);
  }

  @Override
  public Instant instant() {
    synchronized (now) {
      return now[0];
    }
  }
}
