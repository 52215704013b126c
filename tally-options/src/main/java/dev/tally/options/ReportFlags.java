package dev.tally.options;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.CostMetric;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.format.UsageFormats;
import dev.tally.core.time.Timestamps;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The flags every cost report takes ({@code tally report}, {@code tally-spark report}) turned into values, with every
 * bad flag reported at once under its own name. One parser, so both commands keep one contract; how a filter's column
 * is resolved is each engine's, given as {@code checkFilter}.
 */
public final class ReportFlags {
  private ReportFlags() {}

  /**
   * The parsed flags.
   *
   * @param filters the {@code COLUMN=VALUE} filters, as given
   * @param from first day, inclusive
   * @param to last day, exclusive
   * @param zone the zone of days, weeks and months
   * @param metric which cost is summed
   * @param charges which charge categories
   */
  public record Parsed(List<String> filters, Optional<LocalDate> from, Optional<LocalDate> to, ZoneId zone,
      CostMetric metric, ChargeScope charges) {
    public Parsed {
      filters = List.copyOf(filters);
      requireNonNull(from, "from is null");
      requireNonNull(to, "to is null");
      requireNonNull(zone, "zone is null");
      requireNonNull(metric, "metric is null");
      requireNonNull(charges, "charges is null");
    }
  }

  /**
   * Parses the flags; null for a flag not given ({@code charges} then {@code defaultCharges}).
   *
   * @param checkFilter resolves one filter, throwing {@link TallyException} naming what is wrong with it
   * @throws TallyException (invalid input) with a problem for every bad flag
   */
  public static Parsed parse(List<String> filters, String from, String to, String zone, String cost, String charges,
      ChargeScope defaultCharges, Consumer<String> checkFilter) {
    List<Problem> problems = new ArrayList<>();
    for (String f : filters) {
      try {
        checkFilter.accept(f);
      } catch (TallyException e) {
        problems.addAll(e.problems());
      }
    }
    Optional<LocalDate> f = date(problems, "--from", from);
    Optional<LocalDate> t = date(problems, "--to", to);
    if (f.isPresent() && t.isPresent() && !f.get().isBefore(t.get())) {
      problems.add(Problem.of("--to", "must be after --from " + f.get() + " (--to is exclusive)", to));
    }
    CostMetric metric = CostMetric.BILLED;
    try {
      metric = CostMetric.parse(cost);
    } catch (IllegalArgumentException e) {
      problems.add(Problem.of("--cost", e.getMessage(), cost));
    }
    ChargeScope which = defaultCharges;
    if (charges != null) {
      try {
        which = ChargeScope.parse(charges);
      } catch (IllegalArgumentException e) {
        problems.add(Problem.of("--charges", e.getMessage(), charges));
      }
    }
    ZoneId z = ZoneOffset.UTC;
    try {
      z = Timestamps.zone(zone);
    } catch (IllegalArgumentException e) {
      problems.add(Problem.of("--zone", e.getMessage(), zone));
    }
    if (!problems.isEmpty()) {
      throw TallyException.invalid("invalid report options", problems);
    }
    return new Parsed(filters, f, t, z, metric, which);
  }

  /** Refuses --from and --to for a report whose days are its two periods (growth, explain). */
  public static void refuseDays(String report, String from, String to) {
    if (from != null || to != null) {
      throw TallyException.invalid(Problem.of(from != null ? "--from" : "--to", report + " compares --base and"
          + " --compare; --from and --to do not apply", from != null ? from : to));
    }
  }

  /** The window of a series or peaks report as a flag gives it: day, week or month, any case. */
  public static String window(String w) {
    String s = w == null ? "" : w.strip().toLowerCase(Locale.ROOT);
    if (!List.of("day", "week", "month").contains(s)) {
      throw TallyException.invalid(Problem.of("--window", "must be day, week or month", w));
    }
    return s;
  }

  /** The output format flag. */
  public static UsageFormats.Format format(String format) {
    try {
      return UsageFormats.Format.parse(format);
    } catch (IllegalArgumentException e) {
      throw TallyException.invalid(Problem.of("--format", e.getMessage(), format));
    }
  }

  private static Optional<LocalDate> date(List<Problem> problems, String flag, String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(CostPeriod.date(flag, text));
    } catch (TallyException e) {
      problems.addAll(e.problems());
      return Optional.empty();
    }
  }
}
