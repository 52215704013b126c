package dev.tally.store.pricing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand. */
final class TestingClock extends Clock {
  private volatile Instant now;

  TestingClock(Instant now) {
    this.now = now;
  }

  void set(String instant) {
    now = Instant.parse(instant);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("tests use UTC");
  }

  @Override
  public Instant instant() {
    return now;
  }
}
