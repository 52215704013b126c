package dev.tally.cli.cost;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.format.UsageFormats;
import dev.tally.core.time.Timestamps;
import dev.tally.core.cost.ChargeScope;
import dev.tally.store.cost.CostFilter;
import dev.tally.core.cost.CostMetric;
import dev.tally.store.cost.CostScope;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The flags every report takes: filters, days, zone, which cost, which charges, and the output format. */
public final class ReportOptions {
  @Option(names = "--filter", paramLabel = "COL=VALUE",
      description = "Only charges whose column (a FOCUS column or tag:KEY) has this value (repeatable).")
  List<String> filters = new ArrayList<>();

  @Option(names = "--from", paramLabel = "DATE", description = "First day, inclusive (YYYY-MM-DD, in --zone).")
  String from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last day, exclusive (YYYY-MM-DD, in --zone).")
  String to;

  @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC",
      description = "IANA time zone days, weeks and months are counted in (default: ${DEFAULT-VALUE}).")
  String zone;

  @Option(names = "--cost", paramLabel = "KIND", defaultValue = "billed",
      description = "billed, effective or list (default: ${DEFAULT-VALUE}).")
  String cost;

  @Option(names = "--charges", paramLabel = "WHICH",
      description = "usage, non-usage or all (default: all for totals, where non-usage is shown apart; usage for the"
          + " others).")
  String charges;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "json, csv or table (default: ${DEFAULT-VALUE}).")
  String format;

  /** The scope these flags describe, for a tenant; {@code defaultCharges} when --charges is not given. */
  CostScope scope(String tenant, ChargeScope defaultCharges) {
    List<Problem> problems = new ArrayList<>();
    List<CostFilter> parsed = new ArrayList<>();
    for (String f : filters) {
      collect(problems, () -> parsed.add(CostFilter.parse("--filter", f)));
    }
    Optional<LocalDate> f = Optional.ofNullable(from).map(s -> CostPeriod.date("--from", s));
    Optional<LocalDate> t = Optional.ofNullable(to).map(s -> CostPeriod.date("--to", s));
    if (f.isPresent() && t.isPresent() && !f.get().isBefore(t.get())) {
      problems.add(Problem.of("--to", "must be after --from " + f.get() + " (--to is exclusive)", to));
    }
    CostMetric metric = parse(problems, "--cost", cost, () -> CostMetric.parse(cost), CostMetric.BILLED);
    ChargeScope which = charges == null ? defaultCharges
        : parse(problems, "--charges", charges, () -> ChargeScope.parse(charges), defaultCharges);
    ZoneId z = zone();
    if (!problems.isEmpty()) {
      throw TallyException.invalid("invalid report options", problems);
    }
    return new CostScope(tenant, parsed, f, t, z, metric, which);
  }

  /** Refuses --from and --to for a report whose days are its two periods. */
  void refuseDays(String report) {
    if (from != null || to != null) {
      throw TallyException.invalid(Problem.of(from != null ? "--from" : "--to", report + " compares --base and"
          + " --compare; --from and --to do not apply", from != null ? from : to));
    }
  }

  ZoneId zone() {
    try {
      return Timestamps.zone(zone);
    } catch (IllegalArgumentException e) {
      throw TallyException.invalid(Problem.of("--zone", e.getMessage(), zone));
    }
  }

  UsageFormats.Format format() {
    try {
      return UsageFormats.Format.parse(format);
    } catch (IllegalArgumentException e) {
      throw TallyException.invalid(Problem.of("--format", e.getMessage(), format));
    }
  }

  private static void collect(List<Problem> problems, Runnable r) {
    try {
      r.run();
    } catch (TallyException e) {
      problems.addAll(e.problems());
    }
  }

  private static <T> T parse(List<Problem> problems, String flag, String given, Supplier<T> p,
      T fallback) {
    try {
      return p.get();
    } catch (IllegalArgumentException e) {
      problems.add(Problem.of(flag, e.getMessage(), given));
      return fallback;
    }
  }
}
