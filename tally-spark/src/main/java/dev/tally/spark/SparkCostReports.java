package dev.tally.spark;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.CostMetric;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.cost.CostReportTables;
import dev.tally.core.cost.ReportTable;
import dev.tally.core.time.Window;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The aggregating cost reports (totals, growth, series, peaks) on Spark, over the cost charges of a lake: Spark
 * computes the same sums per group and period as the store's SQL, and {@link CostReportTables} makes the report of
 * them, as it does for the store, so that both print the same report.
 *
 * <p>Charges that a re-delivered bill replaced after they were exported (the lake's {@code cost_deletions}) are left
 * out, so the lake answers as the store does now. A charge belongs to the local day (in the scope's zone) of its {@code ChargePeriodStart}, as in the store.
 */
public final class SparkCostReports {
  /** The lake's own columns beside the FOCUS ones: not something to group or filter by. */
  private static final Set<String> NOT_FOCUS = Set.of("tenant", "import_id", "source_row", "date", "x_extra");

  private final SparkLake lake;

  public SparkCostReports(SparkLake lake) {
    this.lake = requireNonNull(lake, "lake is null");
  }

  /**
   * What a report looks at, as {@code tally report}'s flags say it.
   *
   * @param tenant the tenant
   * @param filters {@code COLUMN=VALUE} (an empty value: the column is null)
   * @param from first local day, inclusive
   * @param to last local day, exclusive
   * @param zone the zone of days, weeks and months
   * @param metric which cost is summed
   * @param charges which charge categories
   */
  public record Scope(String tenant, List<String> filters, Optional<LocalDate> from, Optional<LocalDate> to,
      ZoneId zone, CostMetric metric, ChargeScope charges) {
    public Scope {
      requireNonNull(tenant, "tenant is null");
      filters = List.copyOf(filters);
      requireNonNull(from, "from is null");
      requireNonNull(to, "to is null");
      requireNonNull(zone, "zone is null");
      requireNonNull(metric, "metric is null");
      requireNonNull(charges, "charges is null");
    }

    Scope withCharges(ChargeScope c) {
      return new Scope(tenant, filters, from, to, zone, metric, c);
    }
  }

  /** Totals and shares by a column ({@code tally report totals}). */
  public ReportTable totals(Scope scope, String by, int top) {
    CostReportTables.checkTop(top);
    Optional<Dataset<Row>> all = charges(scope.tenant());
    List<CostReportTables.TotalsSums> sums = new ArrayList<>();
    String label = by;
    Optional<String> currency = Optional.empty();
    if (all.isPresent()) {
      Dataset<Row> d = all.get();
      Named g = column(d, "--by", by);
      label = g.label();
      Dataset<Row> in = scoped(d, scope.withCharges(ChargeScope.ALL), true);
      currency = currency(in);
      Column metric = col(scope.metric().column());
      for (Row r : in.groupBy(col("ChargeCategory"), g.value().as("g"))
          .agg(sum(metric), sum(col("ConsumedQuantity")), countDistinct(col("ConsumedUnit")), min(col("ConsumedUnit")))
          .collectAsList()) {
        sums.add(new CostReportTables.TotalsSums(r.getString(0), r.getString(1), r.getDecimal(2), r.getDecimal(3),
            r.getLong(4), r.getString(5)));
      }
    }
    return CostReportTables.totals(sums, scope.charges(), label, scope.metric(), top, currency);
  }

  /** Growth between two periods by a column ({@code tally report growth}). */
  public ReportTable growth(Scope scope, String by, CostPeriod base, CostPeriod compare) {
    Optional<Dataset<Row>> all = charges(scope.tenant());
    List<CostReportTables.GrowthSums> sums = new ArrayList<>();
    String label = by;
    Optional<String> currency = Optional.empty();
    if (all.isPresent()) {
      Dataset<Row> d = all.get();
      Named g = column(d, "--by", by);
      label = g.label();
      Column inBase = in(base.window(scope.zone()));
      Column inCompare = in(compare.window(scope.zone()));
      Dataset<Row> in = scoped(d, scope, false).where(inBase.or(inCompare));
      currency = currency(in);
      Column metric = col(scope.metric().column());
      Column zero = lit(java.math.BigDecimal.ZERO);
      for (Row r : in.groupBy(g.value().as("g"))
          .agg(coalesce(sum(when(inBase, metric)), zero), coalesce(sum(when(inCompare, metric)), zero))
          .collectAsList()) {
        sums.add(new CostReportTables.GrowthSums(r.getString(0), r.getDecimal(1), r.getDecimal(2)));
      }
    }
    return CostReportTables.growth(sums, label, base, compare, scope.zone(), scope.charges(), currency);
  }

  /** The cost per day, ISO week or month, optionally per value of a column ({@code tally report series}). */
  public ReportTable series(Scope scope, String window, Optional<String> by) {
    CostReportTables.checkWindow(window);
    Optional<Dataset<Row>> all = charges(scope.tenant());
    List<CostReportTables.SeriesSums> sums = new ArrayList<>();
    Optional<String> label = by;
    Optional<String> currency = Optional.empty();
    if (all.isPresent()) {
      Dataset<Row> d = all.get();
      Optional<Named> g = by.map(b -> column(d, "--by", b));
      label = g.map(Named::label);
      Dataset<Row> in = scoped(d, scope, true);
      currency = currency(in);
      Column group = g.map(Named::value).orElse(lit(null).cast(DataTypes.StringType));
      for (Row r : in.groupBy(bucket(scope.zone(), window).as("p"), group.as("g"))
          .agg(sum(col(scope.metric().column()))).collectAsList()) {
        sums.add(new CostReportTables.SeriesSums(r.getDate(0).toLocalDate(), r.getString(1), r.getDecimal(2)));
      }
    }
    return CostReportTables.series(sums, window, label, scope.zone(), scope.charges(), currency);
  }

  /** The top periods by cost and the largest jump ({@code tally report peaks}). */
  public ReportTable peaks(Scope scope, String window, int top) {
    CostReportTables.checkTop(top);
    return CostReportTables.peaks(series(scope, window, Optional.empty()), top);
  }

  /** The tenant's charges as the store has them now: without those a re-delivered bill has since replaced. */
  private Optional<Dataset<Row>> charges(String tenant) {
    Optional<Dataset<Row>> charges = lake.tenantData("cost_charges", tenant);
    Optional<Dataset<Row>> deleted = lake.tenantData("cost_deletions", tenant);
    if (charges.isEmpty() || deleted.isEmpty()) {
      return charges;
    }
    Dataset<Row> d = deleted.get().select(col("import_id").as("d_import_id"), col("source_row").as("d_source_row"));
    return Optional.of(charges.get().join(d, col("import_id").equalTo(col("d_import_id"))
        .and(col("source_row").equalTo(col("d_source_row"))), "left_anti"));
  }

  /** A column's text and the name reports show for it. */
  private record Named(String label, Column value) {}

  /**
   * A FOCUS column of the lake's charges or {@code tag:KEY}, as text the way the store makes it: strings as they
   * are, date-times as {@code yyyy-MM-ddTHH:mm:ssZ} in UTC, numbers as their decimal text.
   */
  private static Named column(Dataset<Row> charges, String field, String name) {
    String n = name == null ? "" : name.strip();
    Optional<String> tag = CostReportTables.tagKey(field, name);
    if (tag.isPresent()) {
      // Tags are a JSON object as text; read as a map of texts, any key (dots, quotes) is looked up literally.
      Column tags = from_json(col("Tags"), DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType),
          Map.of());
      return new Named("tag:" + tag.get(), tags.getItem(tag.get()));
    }
    for (StructField f : charges.schema().fields()) {
      if (f.name().equalsIgnoreCase(n) && !NOT_FOCUS.contains(f.name().toLowerCase(Locale.ROOT))) {
        Column c = col(f.name());
        Column text = f.dataType().equals(DataTypes.StringType) ? c
            : f.dataType().equals(DataTypes.TimestampType) ? date_format(c, "yyyy-MM-dd'T'HH:mm:ss'Z'")
            : c.cast(DataTypes.StringType);
        return new Named(f.name(), text);
      }
    }
    throw TallyException.invalid(Problem.of(field,
        "is not a FOCUS column or tag:KEY (for example ServiceName, SubAccountId, RegionId, tag:env)", name));
  }

  /** The charges of the scope: its charge categories, filters and (with {@code withDays}) its days. */
  private static Dataset<Row> scoped(Dataset<Row> charges, Scope scope, boolean withDays) {
    Dataset<Row> d = switch (scope.charges()) {
      case USAGE -> charges.where(col("ChargeCategory").equalTo("Usage"));
      case NON_USAGE -> charges.where(col("ChargeCategory").notEqual("Usage"));
      case ALL -> charges;
    };
    List<Problem> problems = new ArrayList<>();
    for (String f : scope.filters()) {
      int eq = f == null ? -1 : f.indexOf('=');
      if (eq <= 0) {
        problems.add(Problem.of("--filter", "must be COLUMN=VALUE, e.g. ServiceName=Amazon EC2", f));
        continue;
      }
      try {
        Column c = column(charges, "--filter", f.substring(0, eq)).value();
        String v = f.substring(eq + 1);
        d = d.where(v.isEmpty() ? c.isNull() : c.equalTo(v));
      } catch (TallyException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw TallyException.invalid("invalid report options", problems);
    }
    if (withDays) {
      if (scope.from().isPresent()) {
        d = d.where(col("ChargePeriodStart").geq(instant(scope.from().get().atStartOfDay(scope.zone()).toInstant())));
      }
      if (scope.to().isPresent()) {
        d = d.where(col("ChargePeriodStart").lt(instant(scope.to().get().atStartOfDay(scope.zone()).toInstant())));
      }
    }
    return d;
  }

  private static Column in(Window w) {
    return col("ChargePeriodStart").geq(instant(w.start())).and(col("ChargePeriodStart").lt(instant(w.end())));
  }

  private static Column instant(Instant i) {
    return lit(Timestamp.from(i));
  }

  /** The local start day of a charge's day, ISO week (Monday) or month, in the zone (session time is UTC). */
  private static Column bucket(ZoneId zone, String window) {
    Column day = to_date(from_utc_timestamp(col("ChargePeriodStart"), zone.getId()));
    return switch (window) {
      case "day" -> day;
      case "week" -> to_date(date_trunc("week", day));
      default -> trunc(day, "month");
    };
  }

  /** The one billing currency of the charges, as the store finds it; refused when there are several. */
  private static Optional<String> currency(Dataset<Row> charges) {
    List<String> found = new ArrayList<>();
    for (Row r : charges.select(col("BillingCurrency")).distinct().orderBy(col("BillingCurrency").asc_nulls_last())
        .limit(5).collectAsList()) {
      found.add(r.getString(0));
    }
    if (found.size() > 1) {
      throw TallyException.invalid(Problem.of("--filter", "the charges are billed in several currencies "
          + found + "; money in different currencies is never added: add --filter BillingCurrency=" + found.get(0)));
    }
    return found.stream().findFirst();
  }
}
