package dev.tally.store.cost;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.cost.CostReportTables;
import dev.tally.core.time.Window;
import dev.tally.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of a {@link CostScope}: a WHERE clause with its parameters, and the zone-aware day expressions. */
final class ScopeSql {
  private final CostScope scope;
  private final StringBuilder where = new StringBuilder("tenant = ?");
  private final List<Object> params = new ArrayList<>();

  /** The scope's conditions; {@code withDays} false leaves out its from/to (reports that pick their own periods). */
  ScopeSql(CostScope scope, boolean withDays) {
    this.scope = scope;
    params.add(scope.tenant());
    where.append(" AND ").append(switch (scope.charges()) {
      case USAGE -> "\"ChargeCategory\" = 'Usage'";
      case NON_USAGE -> "\"ChargeCategory\" <> 'Usage'";
      case ALL -> "TRUE";
    });
    for (CostFilter f : scope.filters()) {
      where.append(" AND ").append(f.sql());
      if (!f.value().isEmpty()) {
        params.add(f.value());
      }
    }
    if (withDays) {
      scope.from().ifPresent(d -> and("\"ChargePeriodStart\" >= ?", d.atStartOfDay(scope.zone()).toInstant()));
      scope.to().ifPresent(d -> and("\"ChargePeriodStart\" < ?", d.atStartOfDay(scope.zone()).toInstant()));
    }
  }

  /** Adds a condition with at most one instant parameter. */
  ScopeSql and(String condition, Instant param) {
    where.append(" AND ").append(condition);
    params.add(timestamp(param));
    return this;
  }

  /** Restricts to charges starting in any of the periods. */
  ScopeSql inAny(List<CostPeriod> periods) {
    List<String> parts = new ArrayList<>();
    for (CostPeriod p : periods) {
      Window w = p.window(scope.zone());
      parts.add("(\"ChargePeriodStart\" >= ? AND \"ChargePeriodStart\" < ?)");
      params.add(timestamp(w.start()));
      params.add(timestamp(w.end()));
    }
    where.append(" AND (").append(String.join(" OR ", parts)).append(")");
    return this;
  }

  String where() {
    return where.toString();
  }

  List<Object> params() {
    return params;
  }

  /** The metric's column, quoted. */
  String metric() {
    return "\"" + scope.metric().column() + "\"";
  }

  /** A SQL condition that a charge starts in a period, as literal instants (for FILTER clauses). */
  String in(CostPeriod p) {
    Window w = p.window(scope.zone());
    return "(\"ChargePeriodStart\" >= " + literal(w.start()) + " AND \"ChargePeriodStart\" < " + literal(w.end()) + ")";
  }

  /** The local day of a charge in the scope's zone. */
  String day() {
    return "CAST(timezone(" + Sql.literal(CostReportTables.zoneName(scope.zone()))
        + ", \"ChargePeriodStart\") AS DATE)";
  }

  /** The local start day of a charge's day, ISO week (Monday) or month. */
  String bucket(String window) {
    return switch (window) {
      case "day" -> day();
      case "week" -> "CAST(date_trunc('week', " + day() + ") AS DATE)";
      case "month" -> "CAST(date_trunc('month', " + day() + ") AS DATE)";
      default -> throw TallyException.invalid(Problem.of("window", "must be day, week or month", window));
    };
  }

  PreparedStatement prepare(Connection c, String sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < params.size(); i++) {
      ps.setObject(i + 1, params.get(i));
    }
    return ps;
  }

  /**
   * The one billing currency of the charges in scope; empty if there are none.
   *
   * @throws TallyException (invalid input) when charges in several currencies would be summed
   */
  Optional<String> currency(Connection c) throws SQLException {
    List<String> found = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, "SELECT DISTINCT \"BillingCurrency\" FROM cost_charges WHERE " + where()
        + " ORDER BY 1 LIMIT 5");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        found.add(rs.getString(1));
      }
    }
    if (found.size() > 1) {
      throw TallyException.invalid(Problem.of("filter", "the charges are billed in several currencies "
          + found + "; money in different currencies is never added: add --filter BillingCurrency=" + found.get(0)));
    }
    return found.stream().findFirst();
  }

  private static OffsetDateTime timestamp(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private static String literal(Instant i) {
    return "TIMESTAMPTZ '" + i + "'";
  }
}
