package dev.tally.store;

import dev.tally.api.Aggregation;
import dev.tally.api.UsageQuery;
import dev.tally.api.UsageResult;
import dev.tally.api.UsageRow;
import dev.tally.api.WindowSize;
import dev.tally.core.query.QueryChecks;
import dev.tally.core.time.Window;
import dev.tally.core.time.Windows;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Answers {@link UsageQuery usage queries} by compiling them to SQL over a meter's data table.
 *
 * <p>Windows: in UTC, the engine truncates timestamps directly. In another zone, DAY and MONTH windows group by the
 * local calendar date (the engine converts each timestamp to local time), and the window's instant bounds are then
 * computed in Java, DST-correct; MINUTE and HOUR windows group by the local truncation shifted back by the
 * timestamp's own UTC offset, so the repeated hour of a DST night stays two windows.
 *
 * <p>Exactness: SUM, MIN, MAX and LATEST are exact decimals; AVG is the exact sum divided by the count, rounded
 * half-even to 9 decimals; the time-weighted aggregations sum value times microseconds exactly and divide once, at
 * the end, to hours (9 decimals, half-even).
 */
public final class UsageQueryEngine {
  /** Most windows one query may cut its range into. */
  public static final long MAX_WINDOWS = QueryChecks.MAX_WINDOWS;

  private static final BigDecimal MICROS_PER_HOUR = BigDecimal.valueOf(3_600_000_000L);

  private final TallyStore store;

  UsageQueryEngine(TallyStore store) {
    this.store = store;
  }

  /** Runs a query for a tenant. */
  public UsageResult query(String tenant, UsageQuery q) {
    StoredMeter sm = store.meters().require(tenant, q.meterSlug());
    QueryChecks.check(sm.meter(), q);
    store.awaitAcknowledgedWrites();
    List<UsageRow> rows = store.read(c ->
        sm.meter().aggregation().timeWeighted() ? timeWeighted(c, sm, q) : standard(c, sm, q));
    return new UsageResult(q.from(), q.to(), q.windowSize(), rows);
  }

  /**
   * When a meter's first value is, if it has any: where a query without a start begins. Waits for acknowledged writes
   * as {@link #query} does, so an event acknowledged just before counts.
   */
  public Optional<Instant> firstValueTime(String tenant, String meterSlug) {
    StoredMeter sm = store.meters().require(tenant, meterSlug);
    store.awaitAcknowledgedWrites();
    return store.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT min(ts) FROM " + sm.table());
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
      }
    });
  }

  /** The columns of a result row's identity besides the window: subject (maybe) and group keys. */
  private record Grouping(boolean subject, List<String> keys, List<String> columns) {}

  private static Grouping grouping(StoredMeter sm, UsageQuery q) {
    List<String> keys = q.meterGroupBy();
    List<String> cols = new ArrayList<>();
    if (q.groupsBySubject()) {
      cols.add("subject");
    }
    keys.forEach(k -> cols.add(sm.groupColumn(k)));
    return new Grouping(q.groupsBySubject(), keys, cols);
  }

  /** WHERE clause for the query's filters; binds from, to, subjects, filter values in that order. */
  private static String where(StoredMeter sm, UsageQuery q, boolean rangeStart) {
    StringBuilder sb = new StringBuilder(" WHERE ts < ?");
    if (rangeStart) {
      sb.append(" AND ts >= ?");
    }
    if (!q.subjects().isEmpty()) {
      sb.append(" AND subject IN (").append("?, ".repeat(q.subjects().size() - 1)).append("?)");
    }
    for (String k : q.filterGroupBy().keySet()) {
      sb.append(" AND ").append(k.equals(UsageQuery.SUBJECT) ? "subject" : sm.groupColumn(k)).append(" = ?");
    }
    return sb.toString();
  }

  private static int bind(PreparedStatement ps, int i, UsageQuery q, Instant to, boolean rangeStart)
      throws SQLException {
    ps.setObject(i++, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
    if (rangeStart) {
      ps.setObject(i++, OffsetDateTime.ofInstant(q.from(), ZoneOffset.UTC));
    }
    for (String s : q.subjects()) {
      ps.setString(i++, s);
    }
    for (String v : q.filterGroupBy().values()) {
      ps.setString(i++, v);
    }
    return i;
  }

  private enum BucketKind {
    /** The bucket is a UTC instant in epoch microseconds. */
    INSTANT,
    /** The bucket is a local date-time (epoch microseconds of the naive local value), converted in Java. */
    LOCAL
  }

  private static String bucketExpr(WindowSize size, ZoneId zone) {
    String unit = size.name().toLowerCase(java.util.Locale.ROOT);
    if (zone.getId().equals("UTC")) {
      return "epoch_us(date_trunc('" + unit + "', ts))";
    }
    String local = "timezone(" + Sql.literal(zone.getId()) + ", ts)";
    if (size == WindowSize.DAY || size == WindowSize.MONTH) {
      return "epoch_us(date_trunc('" + unit + "', " + local + "))";
    }
    // Local truncation minus this timestamp's own offset: exact whenever offsets change on the hour, as they do.
    return "(epoch_us(date_trunc('" + unit + "', " + local + ")) - (epoch_us(" + local + ") - epoch_us(ts)))";
  }

  private static BucketKind bucketKind(WindowSize size, ZoneId zone) {
    boolean local = !zone.getId().equals("UTC") && (size == WindowSize.DAY || size == WindowSize.MONTH);
    return local ? BucketKind.LOCAL : BucketKind.INSTANT;
  }

  private static Window windowOf(long bucket, WindowSize size, ZoneId zone, UsageQuery q) {
    return Windows.ofBucket(bucket, bucketKind(size, zone) == BucketKind.LOCAL, size, zone, q.from(), q.to());
  }


  private static String aggregateExpr(Aggregation a) {
    return switch (a) {
      case SUM -> "sum(value), NULL";
      case COUNT -> "count(*), NULL";
      case AVG -> "sum(value), count(*)";
      case MIN -> "min(value), NULL";
      case MAX -> "max(value), NULL";
      case UNIQUE_COUNT -> "count(DISTINCT svalue), NULL";
      // Latest by time, then by ingestion order, as one 128-bit key: much cheaper to compare than a struct.
      case LATEST -> "arg_max(value, epoch_us(ts)::HUGEINT * 9223372036854775808 + seq), NULL";
      case TIME_WEIGHTED_SUM, TIME_WEIGHTED_AVG -> throw new IllegalArgumentException("time-weighted: see timeWeighted");
    };
  }

  private List<UsageRow> standard(DuckDBConnection c, StoredMeter sm, UsageQuery q) throws SQLException {
    Grouping g = grouping(sm, q);
    Optional<WindowSize> size = q.windowSize();
    List<String> select = new ArrayList<>();
    select.add(size.map(s -> bucketExpr(s, q.windowTimeZone())).orElse("0") + " AS w");
    select.addAll(g.columns());
    String groupCols = String.join(", ", select.stream().map(s -> s.endsWith(" AS w") ? "w" : s).toList());
    String sql = "SELECT " + String.join(", ", select) + ", " + aggregateExpr(sm.meter().aggregation())
        + " FROM " + sm.table() + where(sm, q, true) + " GROUP BY " + groupCols + " ORDER BY " + groupCols;
    List<UsageRow> rows = new ArrayList<>();
    RowParts parts = new RowParts();
    Window whole = new Window(q.from(), q.to());
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, 1, q, q.to(), true);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long bucket = size.isPresent() ? rs.getLong(1) : 0;
          Window w = size.isEmpty() ? whole
              : parts.windows.computeIfAbsent(bucket, b -> windowOf(b, size.get(), q.windowTimeZone(), q));
          RowKeys keys = parts.keys(rs, 2, g);
          BigDecimal value = value(sm.meter().aggregation(), rs, keys.next());
          rows.add(new UsageRow(value, w.start(), w.end(), keys.subject(), keys.groups()));
        }
      }
    }
    return rows;
  }

  /**
   * The parts many rows of one result share, made once: a query by subject and day over a year returns millions of
   * rows (3.66M for 10,000 subjects), but only a few hundred windows and ten thousand subjects, and a copy of each per
   * row would not fit a 1 GiB heap.
   */
  private static final class RowParts {
    final Map<Long, Window> windows = new HashMap<>();
    private final Map<String, Optional<String>> subjects = new HashMap<>();

    Optional<String> subject(String s) {
      return subjects.computeIfAbsent(s, Optional::of);
    }

    /** A row's subject and group values, read from column {@code col} on in the order the grouping selects them. */
    RowKeys keys(ResultSet rs, int col, Grouping g) throws SQLException {
      Optional<String> subject = Optional.empty();
      if (g.subject()) {
        subject = subject(rs.getString(col++));
      }
      Map<String, String> groups = g.keys().isEmpty() ? Map.of() : new LinkedHashMap<>();
      for (String k : g.keys()) {
        String v = rs.getString(col++);
        if (v != null) {
          groups.put(k, v);
        }
      }
      return new RowKeys(subject, groups, col);
    }
  }

  /** What {@link RowParts#keys} read; {@code next} is the first column after them. */
  private record RowKeys(Optional<String> subject, Map<String, String> groups, int next) {}

  private static BigDecimal value(Aggregation a, ResultSet rs, int col) throws SQLException {
    return switch (a) {
      case COUNT, UNIQUE_COUNT -> BigDecimal.valueOf(rs.getLong(col));
      case AVG -> rs.getBigDecimal(col).divide(BigDecimal.valueOf(rs.getLong(col + 1)), 9, RoundingMode.HALF_EVEN);
      default -> rs.getBigDecimal(col);
    };
  }

  /**
   * Time-weighted aggregations. Each sample holds its value until the next sample of the same series (subject and
   * all group values of the meter), the last one until the end of the range or the clock's now, whichever is
   * earlier. The segments are intersected with the windows, which are built here (DST-correct) and handed to the
   * engine as a table.
   */
  private List<UsageRow> timeWeighted(DuckDBConnection c, StoredMeter sm, UsageQuery q) throws SQLException {
    Instant now = store.clock().instant();
    Instant cap = q.to().isAfter(now) ? now : q.to();
    List<Window> windows = Windows.ofQuery(q);
    if (!cap.isAfter(q.from())) {
      return List.of();
    }
    try (java.sql.Statement st = c.createStatement()) {
      st.execute("CREATE OR REPLACE TEMP TABLE tw_windows (ws TIMESTAMPTZ, we TIMESTAMPTZ)");
    }
    try (DuckDBAppender app = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "tw_windows")) {
      for (Window w : windows) {
        if (w.start().isBefore(cap)) {
          app.beginRow();
          app.appendEpochMicros(EventIngestor.micros(w.start()));
          app.appendEpochMicros(EventIngestor.micros(w.end().isAfter(cap) ? cap : w.end()));
          app.endRow();
        }
      }
    }
    Grouping g = grouping(sm, q);
    List<String> series = new ArrayList<>(List.of("subject"));
    for (int i = 0; i < sm.meter().groupBy().size(); i++) {
      series.add("g_" + i);
    }
    String capLiteral = Sql.literal(cap.toString()) + "::TIMESTAMPTZ";
    String segments = "SELECT " + String.join(", ", series) + ", value, ts AS t0, coalesce(lead(ts) OVER (PARTITION BY "
        + String.join(", ", series) + " ORDER BY ts, seq), " + capLiteral + ") AS t1 FROM " + sm.table()
        + where(sm, q, false);
    List<String> outCols = new ArrayList<>(List.of("w.ws", "w.we"));
    outCols.addAll(g.columns().stream().map(col -> "s." + col).toList());
    String sql = "SELECT " + String.join(", ", outCols)
        + ", sum(s.value * (epoch_us(least(s.t1, w.we)) - epoch_us(greatest(s.t0, w.ws)))) FROM (" + segments
        + ") s JOIN tw_windows w ON s.t0 < w.we AND s.t1 > w.ws AND s.t1 > s.t0 GROUP BY " + String.join(", ", outCols)
        + " ORDER BY " + String.join(", ", outCols);
    List<UsageRow> rows = new ArrayList<>();
    RowParts parts = new RowParts();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, 1, q, cap, false);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Instant ws = rs.getObject(1, OffsetDateTime.class).toInstant();
          Instant we = rs.getObject(2, OffsetDateTime.class).toInstant();
          RowKeys keys = parts.keys(rs, 3, g);
          BigDecimal valueMicros = rs.getBigDecimal(keys.next());
          BigDecimal value = sm.meter().aggregation() == Aggregation.TIME_WEIGHTED_SUM
              ? valueMicros.divide(MICROS_PER_HOUR, 9, RoundingMode.HALF_EVEN)
              : valueMicros.divide(BigDecimal.valueOf(EventIngestor.micros(we) - EventIngestor.micros(ws)), 9,
                  RoundingMode.HALF_EVEN);
          // Report the window as asked, even when the clock cut its last part short.
          Window asked = windows.stream().filter(w -> w.start().equals(ws)).findFirst().orElse(new Window(ws, we));
          rows.add(new UsageRow(value, asked.start(), asked.end(), keys.subject(), keys.groups()));
        }
      }
    }
    return rows;
  }
}
