package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic generator of daily cost with known answers, for tests and benchmarks: services that grow at a known
 * daily rate, a weekday/weekend pattern, small seeded noise, and one injected spike of known size on a known day in a
 * known service, sub-account and region.
 *
 * <p>Same seed, same charges: the noise comes from a {@link SplittableRandom} and every amount is rounded to cents.
 */
public final class CostDataGenerator {
  private CostDataGenerator() {}

  /** One generated daily charge. */
  public record Charge(LocalDate day, String service, String subAccount, String region, String chargeCategory,
      BigDecimal cost) {
    public Charge {
      requireNonNull(day, "day is null");
      requireNonNull(service, "service is null");
      requireNonNull(subAccount, "subAccount is null");
      requireNonNull(region, "region is null");
      requireNonNull(chargeCategory, "chargeCategory is null");
      requireNonNull(cost, "cost is null");
    }
  }

  /** A service: its daily cost on the first day, its growth per day, and where it runs. */
  public record Service(String name, BigDecimal base, BigDecimal dailyGrowth, String subAccount, String region) {
    public Service {
      requireNonNull(name, "name is null");
      requireNonNull(base, "base is null");
      requireNonNull(dailyGrowth, "dailyGrowth is null");
      requireNonNull(subAccount, "subAccount is null");
      requireNonNull(region, "region is null");
    }
  }

  /** An extra amount added to one service on one day. */
  public record Spike(LocalDate day, String service, BigDecimal amount) {
    public Spike {
      requireNonNull(day, "day is null");
      requireNonNull(service, "service is null");
      requireNonNull(amount, "amount is null");
    }
  }

  /**
   * Generates one usage charge per service per day in {@code [from, to)}: {@code base + growth·t}, times 0.6 on
   * weekends, plus noise uniform in ±{@code noise} (a fraction, e.g. 0.02), rounded to cents half-up, plus the spike.
   */
  public static List<Charge> usage(LocalDate from, LocalDate to, List<Service> services, BigDecimal noise,
      List<Spike> spikes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Charge> out = new ArrayList<>();
    int t = 0;
    for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1), t++) {
      boolean weekend = d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
      for (Service s : services) {
        BigDecimal v = s.base().add(s.dailyGrowth().multiply(BigDecimal.valueOf(t)));
        if (weekend) {
          v = v.multiply(new BigDecimal("0.6"));
        }
        // Noise in whole thousandths so that it is exact in decimal.
        long permille = random.nextLong(-1000, 1001);
        v = v.add(v.multiply(noise).multiply(BigDecimal.valueOf(permille, 3)));
        for (Spike spike : spikes) {
          if (spike.day().equals(d) && spike.service().equals(s.name())) {
            v = v.add(spike.amount());
          }
        }
        out.add(new Charge(d, s.name(), s.subAccount(), s.region(), "Usage", v.setScale(2, RoundingMode.HALF_UP)));
      }
    }
    return out;
  }
}
