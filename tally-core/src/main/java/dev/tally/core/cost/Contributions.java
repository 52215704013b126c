package dev.tally.core.cost;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Contribution analysis: which values of which columns account for a change in a total.
 *
 * <p>Each column partitions the total (every charge has exactly one value of {@code ServiceName}, null included), so
 * within one column the values' changes add up to the total change exactly; that identity is checked, not assumed, and
 * a column that does not add up is refused as a bug in the caller. Values of different columns overlap (a service's
 * change is also part of a region's), so a ranking across columns reads "the biggest single explanations", never as
 * parts to add.
 *
 * <p>Against a model's expectation (anomaly root causes), a value's expected amount is the total expectation split in
 * proportion to the value's share of recent history; those splits are rounded to {@value #SCALE} places half-even and
 * the rounding residue goes to the largest part, so again the contributions of one column sum exactly to
 * {@code actual − expected}.
 */
public final class Contributions {
  /** Decimal places of an expected amount split across values. */
  public static final int SCALE = 12;

  private Contributions() {}

  /** One value's amounts before and after. */
  public record Part(String dimension, String value, BigDecimal base, BigDecimal compare) {
    public Part {
      requireNonNull(dimension, "dimension is null");
      requireNonNull(value, "value is null");
      requireNonNull(base, "base is null");
      requireNonNull(compare, "compare is null");
    }
  }

  /** One value's actual amount and its weight in recent history (its amount over the model's training window). */
  public record Observed(String dimension, String value, BigDecimal actual, BigDecimal history) {
    public Observed {
      requireNonNull(dimension, "dimension is null");
      requireNonNull(value, "value is null");
      requireNonNull(actual, "actual is null");
      requireNonNull(history, "history is null");
    }
  }

  /**
   * Ranks the parts by the size of their change (largest absolute first; ties by dimension then value), each with its
   * percent of {@code compareTotal − baseTotal}.
   *
   * @throws IllegalArgumentException if one dimension's parts do not add up to the totals
   */
  static List<Contribution> explain(BigDecimal baseTotal, BigDecimal compareTotal, List<Part> parts) {
    requireNonNull(baseTotal, "baseTotal is null");
    requireNonNull(compareTotal, "compareTotal is null");
    BigDecimal totalChange = compareTotal.subtract(baseTotal);
    Map<String, BigDecimal[]> sums = new LinkedHashMap<>();
    List<Contribution> out = new ArrayList<>();
    for (Part p : parts) {
      BigDecimal[] s = sums.computeIfAbsent(p.dimension(), d -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
      s[0] = s[0].add(p.base());
      s[1] = s[1].add(p.compare());
      BigDecimal change = p.compare().subtract(p.base());
      out.add(new Contribution(p.dimension(), p.value(), p.base(), p.compare(), change,
          totalChange.signum() == 0 ? java.util.Optional.empty() : Percentages.share(change, totalChange)));
    }
    sums.forEach((dimension, s) -> {
      if (s[0].compareTo(baseTotal) != 0 || s[1].compareTo(compareTotal) != 0) {
        throw new IllegalArgumentException("the values of " + dimension + " add up to " + s[0] + " -> " + s[1]
            + ", not to the totals " + baseTotal + " -> " + compareTotal);
      }
    });
    out.sort(Comparator.comparing((Contribution c) -> c.change().abs()).reversed()
        .thenComparing(Contribution::dimension).thenComparing(Contribution::value));
    return out;
  }

  /**
   * Explains {@code actual − expected} of a day: each value's expected amount is {@code expected} split by its share of
   * history (equally if the history is all zero), and its contribution is its actual minus that.
   */
  public static List<Contribution> againstExpected(BigDecimal expected, List<Observed> observed) {
    requireNonNull(expected, "expected is null");
    Map<String, List<Observed>> byDimension = new LinkedHashMap<>();
    observed.forEach(o -> byDimension.computeIfAbsent(o.dimension(), d -> new ArrayList<>()).add(o));
    List<Part> parts = new ArrayList<>();
    BigDecimal actualTotal = null;
    for (List<Observed> values : byDimension.values()) {
      BigDecimal actual = values.stream().map(Observed::actual).reduce(BigDecimal.ZERO, BigDecimal::add);
      if (actualTotal != null && actual.compareTo(actualTotal) != 0) {
        throw new IllegalArgumentException("dimension " + values.get(0).dimension() + " adds up to " + actual
            + " but another adds up to " + actualTotal);
      }
      actualTotal = actual;
      List<BigDecimal> split = split(expected, values.stream().map(Observed::history).toList());
      for (int i = 0; i < values.size(); i++) {
        Observed o = values.get(i);
        parts.add(new Part(o.dimension(), o.value(), split.get(i), o.actual()));
      }
    }
    return actualTotal == null ? List.of() : explain(expected, actualTotal, parts);
  }

  /**
   * Splits {@code amount} in proportion to {@code weights} (equally if they sum to zero), rounded to {@value #SCALE}
   * places half-even, the residue added to the largest share so the parts sum exactly to {@code amount}.
   */
  static List<BigDecimal> split(BigDecimal amount, List<BigDecimal> weights) {
    if (weights.isEmpty()) {
      return List.of();
    }
    BigDecimal total = weights.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    List<BigDecimal> out = new ArrayList<>(weights.size());
    int largest = 0;
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 0; i < weights.size(); i++) {
      BigDecimal share = total.signum() == 0
          ? amount.divide(BigDecimal.valueOf(weights.size()), SCALE, RoundingMode.HALF_EVEN)
          : amount.multiply(weights.get(i)).divide(total, SCALE, RoundingMode.HALF_EVEN);
      out.add(share);
      sum = sum.add(share);
      if (share.abs().compareTo(out.get(largest).abs()) > 0) {
        largest = i;
      }
    }
    out.set(largest, out.get(largest).add(amount.subtract(sum)));
    return out;
  }
}
