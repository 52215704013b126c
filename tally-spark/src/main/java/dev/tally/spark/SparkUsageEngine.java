package dev.tally.spark;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;

import dev.tally.api.Aggregation;
import dev.tally.api.Meter;
import dev.tally.api.UsageQuery;
import dev.tally.api.UsageResult;
import dev.tally.api.UsageRow;
import dev.tally.api.WindowSize;
import dev.tally.core.query.QueryChecks;
import dev.tally.core.time.Window;
import dev.tally.core.time.Windows;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Answers {@link UsageQuery usage queries} on Spark over a lake's meter values, by the same rules as the store's
 * DuckDB engine (tally-store {@code UsageQueryEngine}), so that both give the same answer to the last digit.
 *
 * <p>Windows: in UTC, timestamps are truncated directly (the session runs in UTC). In another zone, DAY and MONTH group
 * by the local date-time's truncation and the window's instant bounds are computed in Java with {@link Windows}
 * (DST-correct, including days whose midnight does not exist); MINUTE and HOUR group by the local truncation shifted
 * back by the timestamp's own offset, so the repeated hour of a DST night stays two windows. Windows are clipped to
 * {@code [from, to)}.
 *
 * <p>Exactness: values are DECIMAL(38,9) from the lake; SUM, MIN, MAX and LATEST stay exact; AVG is the exact sum
 * over the count, divided in Java (half-even, 9 decimals); the time-weighted aggregations sum value x microseconds
 * exactly (the session refuses Spark's default of dropping decimal scale on overflow) and divide once, at the end.
 */
public final class SparkUsageEngine {
  private static final BigDecimal MICROS_PER_HOUR = BigDecimal.valueOf(3_600_000_000L);

  private final SparkLake lake;
  private final Clock clock;

  /**
   * @param lake the lake to read
   * @param clock "now" for time-weighted meters (the last sample of a series holds until min(to, now))
   */
  public SparkUsageEngine(SparkLake lake, Clock clock) {
    this.lake = requireNonNull(lake, "lake is null");
    this.clock = requireNonNull(clock, "clock is null");
    Sessions.exactDecimals(lake.spark());
  }

  /** Runs a query for a tenant. */
  public UsageResult query(String tenant, UsageQuery q) {
    Meter meter = lake.meter(tenant, q.meterSlug());
    QueryChecks.check(meter, q);
    Optional<Dataset<Row>> values = lake.meterValues(tenant, meter);
    List<UsageRow> rows = values.isEmpty() ? List.of()
        : meter.aggregation().timeWeighted() ? timeWeighted(values.get(), meter, q) : standard(values.get(), meter, q);
    return new UsageResult(q.from(), q.to(), q.windowSize(), rows);
  }

  /**
   * An invoice line's quantity, measured as the store's invoice runs measure it: the meter over {@code [from, to)}
   * for the customer's subjects, limited to the line's group values, summed over the subjects (for UNIQUE_COUNT and
   * the averaging aggregations, each subject's figure is taken on its own and the figures are added). The arguments
   * are those an invoice line's explanation names as its source, so that a huge tenant's invoices can be rated from
   * Spark's figures and checked line by line.
   */
  public BigDecimal quantity(String tenant, String meter, Instant from, Instant to, List<String> subjects,
      Map<String, String> filters) {
    if (subjects.isEmpty()) {
      return BigDecimal.ZERO;
    }
    UsageQuery q = new UsageQuery(meter, from, to, Optional.empty(), ZoneId.of("UTC"), subjects,
        List.copyOf(filters.keySet()), filters);
    return query(tenant, q).data().stream().map(UsageRow::value).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** The value columns of a meter's group-by keys, in the meter's order. */
  private static String groupColumn(Meter m, String key) {
    int i = new ArrayList<>(m.groupBy().keySet()).indexOf(key);
    if (i < 0) {
      throw new IllegalArgumentException("meter " + m.slug() + " has no group-by key " + key);
    }
    return "g_" + i;
  }

  private static List<String> groupColumns(Meter m, UsageQuery q) {
    List<String> cols = new ArrayList<>();
    if (q.groupsBySubject()) {
      cols.add("subject");
    }
    q.meterGroupBy().forEach(k -> cols.add(groupColumn(m, k)));
    return cols;
  }

  /** The query's filters: time ({@code ts < to}, and {@code ts >= from} when asked), subjects, group values. */
  private static Dataset<Row> filtered(Dataset<Row> df, Meter m, UsageQuery q, Instant to, boolean rangeStart) {
    // The date partition is the UTC date of ts: prune it before reading any file.
    Column keep = col("ts").lt(lit(Timestamp.from(to)))
        .and(col("date").leq(lit(java.sql.Date.valueOf(to.atOffset(ZoneOffset.UTC).toLocalDate()))));
    if (rangeStart) {
      keep = keep.and(col("ts").geq(lit(Timestamp.from(q.from()))))
          .and(col("date").geq(lit(java.sql.Date.valueOf(q.from().atOffset(ZoneOffset.UTC).toLocalDate()))));
    }
    if (!q.subjects().isEmpty()) {
      keep = keep.and(col("subject").isin(q.subjects().toArray()));
    }
    for (Map.Entry<String, String> f : q.filterGroupBy().entrySet()) {
      String c = f.getKey().equals(UsageQuery.SUBJECT) ? "subject" : groupColumn(m, f.getKey());
      keep = keep.and(col(c).equalTo(lit(f.getValue())));
    }
    return df.filter(keep);
  }

  private static boolean localBucket(WindowSize size, ZoneId zone) {
    return !zone.getId().equals("UTC") && (size == WindowSize.DAY || size == WindowSize.MONTH);
  }

  /** The window bucket of each row, as epoch microseconds (of the instant, or of the local date-time). */
  private static Column bucket(WindowSize size, ZoneId zone) {
    String unit = size.name().toLowerCase(Locale.ROOT);
    if (zone.getId().equals("UTC")) {
      return unix_micros(date_trunc(unit, col("ts")));
    }
    Column local = from_utc_timestamp(col("ts"), zone.getId());
    if (localBucket(size, zone)) {
      return unix_micros(date_trunc(unit, local));
    }
    // Local truncation minus this timestamp's own offset: exact whenever offsets change on the hour, as they do.
    return unix_micros(date_trunc(unit, local)).minus(unix_micros(local).minus(unix_micros(col("ts"))));
  }

  private static Window windowOf(long bucket, WindowSize size, ZoneId zone, UsageQuery q) {
    return Windows.ofBucket(bucket, localBucket(size, zone), size, zone, q.from(), q.to());
  }


  private static List<Column> aggregates(Aggregation a) {
    return switch (a) {
      case SUM -> List.of(sum("value"));
      case COUNT -> List.of(count(lit(1)));
      case AVG -> List.of(sum("value"), count(lit(1)));
      case MIN -> List.of(min("value"));
      case MAX -> List.of(max("value"));
      case UNIQUE_COUNT -> List.of(count_distinct(col("svalue")));
      // Latest by time, then by ingestion order.
      case LATEST -> List.of(max(struct(col("ts").as("t"), col("seq").as("s"), col("value").as("v"))).getField("v"));
      case TIME_WEIGHTED_SUM, TIME_WEIGHTED_AVG -> throw new IllegalArgumentException("time-weighted: see timeWeighted");
    };
  }

  private List<UsageRow> standard(Dataset<Row> values, Meter m, UsageQuery q) {
    Optional<WindowSize> size = q.windowSize();
    List<Column> keys = new ArrayList<>();
    keys.add((size.isPresent() ? bucket(size.get(), q.windowTimeZone()) : lit(0L)).as("w"));
    List<String> groups = groupColumns(m, q);
    groups.forEach(g -> keys.add(col(g)));
    List<Column> aggs = aggregates(m.aggregation());
    Dataset<Row> df = filtered(values, m, q, q.to(), true)
        .groupBy(keys.toArray(Column[]::new))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    List<UsageRow> rows = new ArrayList<>();
    for (Row r : sorted(df.collectAsList(), 1, groups.size())) {
      Window w = size.map(sz -> windowOf(r.getLong(0), sz, q.windowTimeZone(), q))
          .orElse(new Window(q.from(), q.to()));
      RowKeys row = RowKeys.read(r, 1, q);
      rows.add(new UsageRow(value(m.aggregation(), r, row.next()), w.start(), w.end(), row.subject(),
          row.groups()));
    }
    return rows;
  }

  private static BigDecimal value(Aggregation a, Row r, int c) {
    return switch (a) {
      case COUNT, UNIQUE_COUNT -> BigDecimal.valueOf(r.getLong(c));
      case AVG -> r.getDecimal(c).divide(BigDecimal.valueOf(r.getLong(c + 1)), 9, RoundingMode.HALF_EVEN);
      default -> r.getDecimal(c);
    };
  }

  /**
   * Time-weighted aggregations: each sample holds its value until the next sample of its series (subject and every
   * group value of the meter), the last one until min(to, now). Segments are intersected with the windows, built in
   * Java (DST-correct) and joined as a small table.
   */
  private List<UsageRow> timeWeighted(Dataset<Row> values, Meter m, UsageQuery q) {
    Instant now = clock.instant();
    Instant cap = q.to().isAfter(now) ? now : q.to();
    List<Window> windows = Windows.ofQuery(q);
    if (!cap.isAfter(q.from())) {
      return List.of();
    }
    List<Row> windowRows = new ArrayList<>();
    for (Window w : windows) {
      if (w.start().isBefore(cap)) {
        windowRows.add(RowFactory.create(Timestamp.from(w.start()), Timestamp.from(w.end().isAfter(cap) ? cap : w.end())));
      }
    }
    StructType windowSchema = new StructType()
        .add("ws", DataTypes.TimestampType, false)
        .add("we", DataTypes.TimestampType, false);
    Dataset<Row> windowTable = lake.spark().createDataFrame(windowRows, windowSchema);
    List<Column> series = new ArrayList<>(List.of(col("subject")));
    for (int i = 0; i < m.groupBy().size(); i++) {
      series.add(col("g_" + i));
    }
    WindowSpec next = org.apache.spark.sql.expressions.Window.partitionBy(series.toArray(Column[]::new))
        .orderBy(col("ts"), col("seq"));
    Dataset<Row> segments = filtered(values, m, q, cap, false)
        .withColumn("t0", col("ts"))
        .withColumn("t1", coalesce(lead(col("ts"), 1).over(next), lit(Timestamp.from(cap))));
    List<String> groups = groupColumns(m, q);
    List<Column> keys = new ArrayList<>(List.of(col("ws"), col("we")));
    groups.forEach(g -> keys.add(col(g)));
    Column overlap = unix_micros(least(col("t1"), col("we"))).minus(unix_micros(greatest(col("t0"), col("ws"))));
    Dataset<Row> df = segments
        .join(org.apache.spark.sql.functions.broadcast(windowTable),
            col("t0").lt(col("we")).and(col("t1").gt(col("ws"))).and(col("t1").gt(col("t0"))))
        .groupBy(keys.toArray(Column[]::new))
        .agg(sum(col("value").multiply(overlap.cast(DataTypes.createDecimalType(20, 0)))));
    List<UsageRow> rows = new ArrayList<>();
    for (Row r : sorted(df.collectAsList(), 2, groups.size())) {
      Instant ws = r.getTimestamp(0).toInstant();
      Instant we = r.getTimestamp(1).toInstant();
      RowKeys row = RowKeys.read(r, 2, q);
      BigDecimal valueMicros = r.getDecimal(row.next());
      BigDecimal value = m.aggregation() == Aggregation.TIME_WEIGHTED_SUM
          ? valueMicros.divide(MICROS_PER_HOUR, 9, RoundingMode.HALF_EVEN)
          : valueMicros.divide(BigDecimal.valueOf(micros(we) - micros(ws)), 9, RoundingMode.HALF_EVEN);
      // Report the window as asked, even when the clock cut its last part short.
      Window asked = windows.stream().filter(w -> w.start().equals(ws)).findFirst().orElse(new Window(ws, we));
      rows.add(new UsageRow(value, asked.start(), asked.end(), row.subject(), row.groups()));
    }
    return rows;
  }

  /**
   * The rows in the store's order: by the leading {@code leading} columns (window bucket, or window start and end),
   * then by the {@code groups} grouping columns, nulls last, strings by their UTF-8 bytes as DuckDB compares them.
   * Answers are small (at most a window count times the groups), so ordering them here saves Spark a sampling job
   * and a shuffle per query.
   */
  private static List<Row> sorted(List<Row> rows, int leading, int groups) {
    List<Row> out = new ArrayList<>(rows);
    out.sort((a, b) -> {
      for (int i = 0; i < leading; i++) {
        int c = Long.compare(epochMicros(a.get(i)), epochMicros(b.get(i)));
        if (c != 0) {
          return c;
        }
      }
      for (int i = leading; i < leading + groups; i++) {
        String x = a.isNullAt(i) ? null : a.getString(i);
        String y = b.isNullAt(i) ? null : b.getString(i);
        int c = x == null ? (y == null ? 0 : 1) : y == null ? -1
            : Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));
        if (c != 0) {
          return c;
        }
      }
      return 0;
    });
    return out;
  }

  private static long epochMicros(Object v) {
    return v instanceof Timestamp t ? micros(t.toInstant()) : ((Number) v).longValue();
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  /** A row's subject and group values, read from column {@code col} on; {@code next} is the first column after them. */
  private record RowKeys(Optional<String> subject, Map<String, String> groups, int next) {
    static RowKeys read(Row r, int col, UsageQuery q) {
      Optional<String> subject = Optional.empty();
      if (q.groupsBySubject()) {
        subject = Optional.of(r.getString(col++));
      }
      Map<String, String> groups = new LinkedHashMap<>();
      for (String k : q.meterGroupBy()) {
        if (!r.isNullAt(col)) {
          groups.put(k, r.getString(col));
        }
        col++;
      }
      return new RowKeys(subject, groups, col);
    }
  }
}
