package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.TallyException;
import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.CostPeriod;
import dev.tally.core.cost.Forecast;
import dev.tally.core.cost.Percentages;
import dev.tally.core.cost.ReportTable;
import dev.tally.core.json.Json;
import dev.tally.store.TallyStore;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Budgets: stored per tenant, and their standing in the current period (spent, forecast, thresholds crossed). */
public final class Budgets {
  private final TallyStore store;

  Budgets(TallyStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  /**
   * Stores a new budget.
   *
   * @throws TallyException (conflict) if the tenant has a budget of that name
   */
  public void create(String tenant, Budget budget) {
    TallyStore.checkTenant(tenant);
    store.ensureTenant(tenant);
    store.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO cost_budgets VALUES (?, ?, ?, ?, ?, ?::JSON,"
          + " ?::JSON, ?) ON CONFLICT DO NOTHING")) {
        ps.setString(1, tenant);
        ps.setString(2, budget.name());
        ps.setString(3, Budget.periodLabel(budget.period()));
        ps.setBigDecimal(4, budget.amount());
        ps.setString(5, budget.charges().label());
        ps.setString(6, json(budget.filters().stream().map(CostFilter::toString).toList()));
        ps.setString(7, json(budget.thresholds().stream().map(t -> t.percent().toPlainString() + ":"
            + t.basis().name().toLowerCase(Locale.ROOT)).toList()));
        ps.setObject(8, OffsetDateTime.ofInstant(store.clock().instant(), ZoneOffset.UTC));
        if (ps.executeUpdate() == 0) {
          throw new TallyException(ErrorCode.CONFLICT, "tenant " + tenant + " already has a budget named "
              + budget.name() + "; delete it first to replace it");
        }
      }
      return null;
    });
  }

  /** Deletes a budget; its past alerts stay. */
  public void delete(String tenant, String name) {
    int n = store.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM cost_budgets WHERE tenant = ? AND name = ?")) {
        ps.setString(1, tenant);
        ps.setString(2, name);
        return ps.executeUpdate();
      }
    });
    if (n == 0) {
      throw new TallyException(ErrorCode.NOT_FOUND, "tenant " + tenant + " has no budget named " + name);
    }
  }

  /** The tenant's budgets, by name. */
  public List<Budget> list(String tenant) {
    return store.read(c -> list(c, tenant));
  }

  static List<Budget> list(Connection c, String tenant) throws SQLException {
    List<Budget> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name, period, amount, charges, filters, thresholds"
        + " FROM cost_budgets WHERE tenant = ? ORDER BY name")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<CostFilter> filters = new ArrayList<>();
          for (JsonNode f : tree(rs.getString(5))) {
            filters.add(CostFilter.parse("filter", f.asText()));
          }
          List<Budget.Threshold> thresholds = new ArrayList<>();
          for (JsonNode t : tree(rs.getString(6))) {
            thresholds.add(Budget.Threshold.parse(t.asText()));
          }
          out.add(new Budget(rs.getString(1), Budget.period(rs.getString(2)), rs.getBigDecimal(3),
              ChargeScope.parse(rs.getString(4)), filters, thresholds));
        }
      }
    }
    return out;
  }

  /** One budget's standing on a day. */
  record Standing(Budget budget, CostPeriod period, Optional<String> currency, BigDecimal actual,
      Optional<Forecast> forecast, Optional<String> noForecast) {
    BigDecimal spent(Budget.Basis basis) {
      return basis == Budget.Basis.ACTUAL ? actual : forecast.map(Forecast::total).orElse(BigDecimal.ZERO);
    }

    boolean crossed(Budget.Threshold t) {
      if (t.basis() == Budget.Basis.FORECAST && forecast.isEmpty()) {
        return false;
      }
      return spent(t.basis()).multiply(BigDecimal.valueOf(100)).compareTo(budget.amount().multiply(t.percent())) >= 0;
    }
  }

  /** Each budget's spend in the period containing {@code asOf}, before {@code asOf}, and its forecast. */
  List<Standing> standings(String tenant, LocalDate asOf, ZoneId zone) {
    return store.read(c -> {
      List<Standing> out = new ArrayList<>();
      for (Budget b : list(c, tenant)) {
        CostPeriod period = b.period().containing(asOf);
        CostScope scope = CostScope.of(tenant).withFilters(b.filters()).withCharges(b.charges()).withZone(zone)
            .withDays(Optional.empty(), Optional.of(asOf));
        ScopeSql sql = new ScopeSql(scope, true);
        Optional<String> currency = sql.currency(c);
        BigDecimal actual = BigDecimal.ZERO;
        if (period.start().isBefore(asOf)) {
          ScopeSql inPeriod = new ScopeSql(scope.withDays(Optional.of(period.start()), Optional.of(asOf)), true);
          try (PreparedStatement ps = inPeriod.prepare(c, "SELECT coalesce(sum(\"BilledCost\"), 0) FROM"
              + " cost_charges WHERE " + inPeriod.where());
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            actual = rs.getBigDecimal(1);
          }
        }
        Optional<Forecast> forecast = Optional.empty();
        Optional<String> why = Optional.empty();
        try {
          forecast = Optional.of(CostInsights.forecast(c, sql, b.period(), asOf));
        } catch (TallyException e) {
          why = Optional.of(e.problems().isEmpty() ? e.getMessage() : e.problems().get(0).message());
        }
        out.add(new Standing(b, period, currency, actual, forecast, why));
      }
      return out;
    });
  }

  /** The budgets' standing as a report. */
  public ReportTable status(String tenant, LocalDate asOf, ZoneId zone) {
    List<List<Object>> rows = new ArrayList<>();
    Optional<String> currency = Optional.empty();
    List<String> notes = new ArrayList<>();
    for (Standing s : standings(tenant, asOf, zone)) {
      currency = currency.or(s::currency);
      List<String> crossed = s.budget().thresholds().stream().filter(s::crossed).map(Budget.Threshold::toString)
          .toList();
      rows.add(CostReports.row(s.budget().name(), s.period().label(), s.budget().amount(), s.actual(),
          Percentages.share(s.actual(), s.budget().amount()).orElse(null),
          s.forecast().map(Forecast::total).orElse(null),
          s.forecast().flatMap(f -> Percentages.share(f.total(), s.budget().amount())).orElse(null),
          String.join(", ", crossed), s.budget().filters().stream().map(CostFilter::toString)
              .reduce((a, b) -> a + " " + b).orElse("")));
      s.noForecast().ifPresent(w -> notes.add(s.budget().name() + ": no forecast: " + w));
    }
    notes.add("spent is BilledCost from the period's first day to the day before " + asOf + "; " + CostReports
        .ROUNDING_NOTE);
    return CostReports.table("budgets", currency, List.of("budget", "period", "amount", "spent", "spent_percent",
        "forecast", "forecast_percent", "crossed", "filters"), rows, notes);
  }

  private static String json(List<String> values) {
    ArrayNode a = Json.json().createArrayNode();
    values.forEach(a::add);
    try {
      return Json.json().writeValueAsString(a);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode tree(String json) {
    try {
      return Json.json().readTree(json);
    } catch (JsonProcessingException e) {
      throw new TallyException(ErrorCode.INTERNAL, "a stored budget is not valid JSON: " + json, e);
    }
  }
}
