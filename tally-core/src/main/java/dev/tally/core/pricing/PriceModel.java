package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import dev.tally.core.format.Decimals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a quantity becomes money. Each model rates exactly (no rounding: that happens once per invoice line, see
 * {@link Money}) and reports the steps it took, so that an invoice line can show its arithmetic.
 *
 * <p>Zero usage costs nothing under every model but {@link Flat}, which is a fixed amount whatever the usage.
 */
public sealed interface PriceModel {
  /** The model's name as catalogue files spell it ({@code per_unit}, {@code graduated}...). */
  String name();

  /** Rates the usage; the amount is exact. */
  Rating rate(Usage usage);

  /** A fixed amount per period, whatever the usage (including none). */
  record Flat(BigDecimal amount) implements PriceModel {
    public Flat {
      requireNonNull(amount, "amount is null");
      nonNegative("amount", amount);
    }

    @Override
    public String name() {
      return "flat";
    }

    @Override
    public Rating rate(Usage usage) {
      return Rating.of(List.of(RatingStep.of("flat amount", BigDecimal.ZERO, BigDecimal.ZERO, amount)));
    }
  }

  /** The quantity times a unit price. */
  record PerUnit(BigDecimal unitPrice) implements PriceModel {
    public PerUnit {
      requireNonNull(unitPrice, "unitPrice is null");
      nonNegative("unitPrice", unitPrice);
    }

    @Override
    public String name() {
      return "per_unit";
    }

    @Override
    public Rating rate(Usage usage) {
      return Rating.of(List.of(RatingStep.of("per unit", usage.quantity(), unitPrice, BigDecimal.ZERO)));
    }
  }

  /**
   * Each tier prices the part of the quantity that falls in it at its own unit price; a tier's flat fee is charged
   * when the quantity goes past the tier's lower bound (so zero usage reaches no tier and costs nothing).
   */
  record Graduated(List<Tier> tiers) implements PriceModel {
    public Graduated {
      tiers = checkTiers(tiers);
    }

    @Override
    public String name() {
      return "graduated";
    }

    @Override
    public Rating rate(Usage usage) {
      BigDecimal q = usage.quantity();
      List<RatingStep> steps = new ArrayList<>();
      BigDecimal lower = BigDecimal.ZERO;
      for (int i = 0; i < tiers.size() && q.compareTo(lower) > 0; i++) {
        Tier t = tiers.get(i);
        BigDecimal upper = t.upTo().map(u -> u.min(q)).orElse(q);
        steps.add(RatingStep.of(tierLabel(i, lower, t), upper.subtract(lower), t.unitPrice(), t.flatFee()));
        lower = t.upTo().orElse(q);
      }
      return Rating.of(steps);
    }
  }

  /**
   * The whole quantity is priced at the unit price of the tier it reaches, plus that tier's flat fee. Zero usage
   * reaches no tier and costs nothing.
   */
  record Volume(List<Tier> tiers) implements PriceModel {
    public Volume {
      tiers = checkTiers(tiers);
    }

    @Override
    public String name() {
      return "volume";
    }

    @Override
    public Rating rate(Usage usage) {
      BigDecimal q = usage.quantity();
      if (q.signum() == 0) {
        return Rating.of(List.of());
      }
      BigDecimal lower = BigDecimal.ZERO;
      for (int i = 0; i < tiers.size(); i++) {
        Tier t = tiers.get(i);
        if (t.upTo().isEmpty() || q.compareTo(t.upTo().get()) <= 0) {
          return Rating.of(List.of(RatingStep.of("all units at " + tierLabel(i, lower, t), q, t.unitPrice(),
              t.flatFee())));
        }
        lower = t.upTo().get();
      }
      throw new IllegalStateException("the last tier is unbounded, so some tier always matches");
    }
  }

  /** A price per started block of {@code size} units: the number of blocks is rounded up (1001 / 1000 → 2). */
  record Package(BigDecimal size, BigDecimal price) implements PriceModel {
    public Package {
      requireNonNull(size, "size is null");
      requireNonNull(price, "price is null");
      if (size.signum() <= 0) {
        throw new IllegalArgumentException("size must be positive, given " + size);
      }
      nonNegative("price", price);
    }

    @Override
    public String name() {
      return "package";
    }

    @Override
    public Rating rate(Usage usage) {
      BigDecimal packages = usage.quantity().divide(size, 0, RoundingMode.CEILING);
      return Rating.of(List.of(RatingStep.of(
          Decimals.plain(packages) + " package(s) of " + Decimals.plain(size) + " (⌈" + Decimals.plain(usage.quantity())
              + " / " + Decimals.plain(size) + "⌉)", packages, price, BigDecimal.ZERO)));
    }
  }

  /**
   * A percentage of a summed money value (a payment volume, a resale amount), with an optional fixed fee per event,
   * and optional bounds on each event's fee (percentage plus fixed fee), as card processors charge.
   *
   * @param percent the percentage, such as {@code 2.9} for 2.9 %
   * @param fixedFeePerEvent added to each event's fee
   * @param minPerEvent lower bound of each event's fee
   * @param maxPerEvent upper bound of each event's fee
   */
  record Percentage(BigDecimal percent, BigDecimal fixedFeePerEvent, Optional<BigDecimal> minPerEvent,
      Optional<BigDecimal> maxPerEvent) implements PriceModel {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public Percentage {
      requireNonNull(percent, "percent is null");
      requireNonNull(fixedFeePerEvent, "fixedFeePerEvent is null");
      requireNonNull(minPerEvent, "minPerEvent is null");
      requireNonNull(maxPerEvent, "maxPerEvent is null");
      nonNegative("percent", percent);
      nonNegative("fixedFeePerEvent", fixedFeePerEvent);
      minPerEvent.ifPresent(m -> nonNegative("minPerEvent", m));
      maxPerEvent.ifPresent(m -> nonNegative("maxPerEvent", m));
      if (minPerEvent.isPresent() && maxPerEvent.isPresent() && minPerEvent.get().compareTo(maxPerEvent.get()) > 0) {
        throw new IllegalArgumentException(
            "minPerEvent (" + minPerEvent.get() + ") must not exceed maxPerEvent (" + maxPerEvent.get() + ")");
      }
    }

    /** A plain percentage without per-event terms. */
    public static Percentage of(String percent) {
      return new Percentage(new BigDecimal(percent), BigDecimal.ZERO, Optional.empty(), Optional.empty());
    }

    @Override
    public String name() {
      return "percentage";
    }

    /** Whether rating needs each event's value rather than only their sum. */
    public boolean perEvent() {
      return fixedFeePerEvent.signum() != 0 || minPerEvent.isPresent() || maxPerEvent.isPresent();
    }

    @Override
    public Rating rate(Usage usage) {
      BigDecimal rate = percent.divide(HUNDRED);
      if (!perEvent()) {
        return Rating.of(List.of(RatingStep.of(Decimals.plain(percent) + " % of the total", usage.quantity(), rate,
            BigDecimal.ZERO)));
      }
      if (usage.quantity().signum() != 0 && usage.eventValues().isEmpty()) {
        throw new IllegalArgumentException("a percentage price with per-event terms needs the value of each event");
      }
      // One step per kind of outcome keeps the explanation short for thousands of events.
      BigDecimal plainSum = BigDecimal.ZERO;
      BigDecimal plainFees = BigDecimal.ZERO;
      long plainCount = 0;
      long atMin = 0;
      long atMax = 0;
      for (BigDecimal v : usage.eventValues()) {
        BigDecimal fee = v.multiply(rate).add(fixedFeePerEvent);
        if (minPerEvent.isPresent() && fee.compareTo(minPerEvent.get()) < 0) {
          atMin++;
        } else if (maxPerEvent.isPresent() && fee.compareTo(maxPerEvent.get()) > 0) {
          atMax++;
        } else {
          plainSum = plainSum.add(v);
          plainFees = plainFees.add(fixedFeePerEvent);
          plainCount++;
        }
      }
      List<RatingStep> steps = new ArrayList<>();
      if (plainCount > 0) {
        steps.add(RatingStep.of(plainCount + " event(s): " + Decimals.plain(percent) + " % + "
            + Decimals.plain(fixedFeePerEvent) + " each", plainSum, rate, plainFees));
      }
      if (atMin > 0) {
        steps.add(RatingStep.of(atMin + " event(s) raised to the minimum fee", BigDecimal.valueOf(atMin),
            minPerEvent.orElseThrow(), BigDecimal.ZERO));
      }
      if (atMax > 0) {
        steps.add(RatingStep.of(atMax + " event(s) capped at the maximum fee", BigDecimal.valueOf(atMax),
            maxPerEvent.orElseThrow(), BigDecimal.ZERO));
      }
      return Rating.of(steps);
    }
  }

  private static List<Tier> checkTiers(List<Tier> tiers) {
    List<Tier> copy = List.copyOf(tiers);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("tiers must not be empty");
    }
    BigDecimal previous = BigDecimal.ZERO;
    for (int i = 0; i < copy.size(); i++) {
      Tier t = copy.get(i);
      boolean last = i == copy.size() - 1;
      if (last != t.upTo().isEmpty()) {
        throw new IllegalArgumentException(last
            ? "the last tier (tiers[" + i + "]) must have no upTo, so that every quantity is priced"
            : "tiers[" + i + "] needs an upTo: only the last tier is unbounded");
      }
      if (!last && t.upTo().get().compareTo(previous) <= 0) {
        throw new IllegalArgumentException("tiers[" + i + "].upTo (" + t.upTo().get()
            + ") must be greater than the previous tier's (" + previous + ")");
      }
      previous = t.upTo().orElse(previous);
    }
    return copy;
  }

  private static String tierLabel(int i, BigDecimal lower, Tier t) {
    return "tier " + (i + 1) + " (" + Decimals.plain(lower) + " < q" + t.upTo().map(u -> " ≤ " + Decimals.plain(u))
        .orElse("") + ")";
  }

  private static void nonNegative(String field, BigDecimal v) {
    if (v.signum() < 0) {
      throw new IllegalArgumentException(field + " must not be negative, given " + v);
    }
  }
}
