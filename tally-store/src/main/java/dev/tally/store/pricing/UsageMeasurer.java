package dev.tally.store.pricing;

import dev.tally.api.Aggregation;
import dev.tally.api.UsageQuery;
import dev.tally.api.UsageRow;
import dev.tally.core.pricing.BillingPeriod;
import dev.tally.core.pricing.Charge;
import dev.tally.core.pricing.ChargeUsage;
import dev.tally.core.pricing.Customer;
import dev.tally.core.pricing.PlanVersion;
import dev.tally.core.pricing.PriceModel;
import dev.tally.core.pricing.Pricing;
import dev.tally.core.pricing.Usage;
import dev.tally.core.pricing.UsageSource;
import dev.tally.store.StoredMeter;
import dev.tally.store.TallyStore;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Measures the usage of a plan's charges for a customer in a period through the store's usage queries, so that an
 * invoice's quantities are exactly what {@code tally query} shows for the same meter, range, subjects and filters.
 *
 * <p>A customer's quantity is the sum over its subjects of the meter's value per subject (for SUM, COUNT and
 * TIME_WEIGHTED_SUM meters this is the meter's value over all the subjects together). Percentage prices with
 * per-event terms also read each event's value, in event order.
 */
final class UsageMeasurer {
  private final TallyStore store;

  UsageMeasurer(TallyStore store) {
    this.store = store;
  }

  /**
   * What to measure for one invoice: a customer's usage of a plan's charges in a period.
   *
   * @param key the caller's key for the result (an invoice id)
   * @param customer the customer
   * @param plan the plan version
   * @param period the billing period
   */
  record Job(String key, Customer customer, PlanVersion plan, BillingPeriod period) {}

  /**
   * What {@link #measureAll} measured.
   *
   * @param usage the usage of each job, by key
   * @param errors why a job could not be measured, by key
   */
  record Measured(Map<String, List<ChargeUsage>> usage, Map<String, String> errors) {
    Measured {
      usage = Map.copyOf(usage);
      errors = Map.copyOf(errors);
    }

    /** A job's usage; an IllegalArgumentException with the reason if it could not be measured. */
    List<ChargeUsage> of(String key) {
      String error = errors.get(key);
      if (error != null) {
        throw new IllegalArgumentException(error);
      }
      return usage.get(key);
    }
  }

  /** The usage of every charge of the plan in the period's active part. */
  List<ChargeUsage> measure(String tenant, Customer customer, PlanVersion plan, BillingPeriod period) {
    return measureAll(tenant, List.of(new Job("one", customer, plan, period))).of("one");
  }

  /**
   * The usage of many jobs, by key. Jobs with the same plan version and the same active range (every calendar-month
   * subscription of a run, typically) share one query per charge over all their subjects, grouped by subject: a
   * month-end run costs a handful of aggregations rather than one per customer and charge.
   *
   * <p>A job whose usage cannot be measured (a query that fails, a per-event price on a meter that is not a SUM) is
   * not measured: its key gets the reason in {@link Measured#errors()}, and the other jobs are measured all the same.
   */
  Measured measureAll(String tenant, List<Job> jobs) {
    Map<String, String> errors = new HashMap<>();
    Map<String, List<ChargeUsage>> out = new LinkedHashMap<>();
    jobs.forEach(j -> out.put(j.key(), new ArrayList<>()));
    Map<String, List<Job>> batches = new LinkedHashMap<>();
    for (Job j : jobs) {
      batches.computeIfAbsent(j.plan().ref() + "|" + j.period().from() + "|" + j.period().to(), k -> new ArrayList<>())
          .add(j);
    }
    for (List<Job> batch : batches.values()) {
      Job first = batch.get(0);
      Instant from = first.period().from();
      Instant to = first.period().to();
      Set<String> subjects = new LinkedHashSet<>();
      batch.forEach(j -> subjects.addAll(j.customer().subjects()));
      for (Charge c : first.plan().charges()) {
        List<UsageRow> rows;
        try {
          rows = subjects.isEmpty() ? List.of()
              : store.queries().query(tenant, query(c, List.copyOf(subjects), from, to, c.filter())).data();
        } catch (RuntimeException e) {
          // The charge's query fails for every job of the batch alike (a meter removed since the plan was applied).
          batch.forEach(j -> errors.putIfAbsent(j.key(), "charge '" + c.id() + "' of plan " + first.plan().ref()
              + ": usage cannot be measured: " + e.getMessage()));
          continue;
        }
        Map<String, List<UsageRow>> bySubject = new HashMap<>();
        rows.forEach(r -> bySubject.computeIfAbsent(r.subject().orElse(""), k -> new ArrayList<>()).add(r));
        for (Job j : batch) {
          if (errors.containsKey(j.key())) {
            continue;
          }
          List<UsageRow> mine = new ArrayList<>();
          j.customer().subjects().forEach(s -> mine.addAll(bySubject.getOrDefault(s, List.of())));
          try {
            out.get(j.key()).addAll(usage(tenant, j.customer(), c, mine, from, to));
          } catch (RuntimeException e) {
            errors.put(j.key(), "charge '" + c.id() + "' of plan " + first.plan().ref() + ": " + e.getMessage());
          }
        }
      }
    }
    return new Measured(out, errors);
  }

  /** The query an invoice line's quantity comes from (it groups by subject, since it names subjects). */
  static UsageQuery query(Charge c, List<String> subjects, Instant from, Instant to, Map<String, String> filters) {
    List<String> groupBy = new ArrayList<>(c.pricing().keys());
    return new UsageQuery(c.meter(), from, to, Optional.empty(), ZoneId.of("UTC"), subjects, groupBy, filters);
  }

  /** One customer's usage lines of a charge from its subjects' rows. */
  private List<ChargeUsage> usage(String tenant, Customer customer, Charge c, List<UsageRow> rows, Instant from,
      Instant to) {
    Map<Map<String, String>, BigDecimal> byGroup = new TreeMap<>(UsageMeasurer::compareGroups);
    for (UsageRow row : rows) {
      Map<String, String> g = new LinkedHashMap<>();
      c.pricing().keys().forEach(k -> g.put(k, row.groupBy().getOrDefault(k, "")));
      byGroup.merge(g, row.value(), BigDecimal::add);
    }
    if (byGroup.isEmpty() && c.pricing() instanceof Pricing.Uniform) {
      byGroup.put(Map.of(), BigDecimal.ZERO);
    }
    List<ChargeUsage> out = new ArrayList<>();
    for (Map.Entry<Map<String, String>, BigDecimal> e : byGroup.entrySet()) {
      Map<String, String> filters = new LinkedHashMap<>(c.filter());
      filters.putAll(e.getKey());
      Usage usage = perEvent(c, e.getKey())
          ? Usage.ofEvents(eventValues(tenant, customer.subjects(), c.meter(), from, to, filters))
          : Usage.of(e.getValue());
      out.add(new ChargeUsage(c, e.getKey(), usage, new UsageSource(c.meter(), from, to, customer.subjects(), filters,
          usage.quantity())));
    }
    return out;
  }

  private static boolean perEvent(Charge c, Map<String, String> groups) {
    try {
      return c.pricing().modelFor(groups) instanceof PriceModel.Percentage p && p.perEvent();
    } catch (IllegalArgumentException e) {
      // A missing price is reported by the assembler, with the invoice it stops.
      return false;
    }
  }

  /** Each event's value, in event order, for percentage prices with per-event terms (SUM meters only). */
  private List<BigDecimal> eventValues(String tenant, List<String> subjects, String meter, Instant from, Instant to,
      Map<String, String> filters) {
    StoredMeter sm = store.meters().require(tenant, meter);
    if (sm.meter().aggregation() != Aggregation.SUM) {
      throw new IllegalArgumentException("a percentage price with per-event terms needs a SUM meter; meter '" + meter
          + "' is " + sm.meter().aggregation());
    }
    if (subjects.isEmpty()) {
      return List.of();
    }
    StringBuilder sql = new StringBuilder("SELECT value FROM ").append(sm.table())
        .append(" WHERE ts >= ? AND ts < ? AND subject IN (").append("?, ".repeat(subjects.size() - 1)).append("?)");
    filters.keySet().forEach(k -> sql.append(" AND ").append(sm.groupColumn(k)).append(" = ?"));
    sql.append(" ORDER BY ts, seq");
    store.awaitAcknowledgedWrites();
    return store.read(c -> {
      List<BigDecimal> values = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int i = 1;
        ps.setObject(i++, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        ps.setObject(i++, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        for (String s : subjects) {
          ps.setString(i++, s);
        }
        for (String v : filters.values()) {
          ps.setString(i++, v);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            values.add(rs.getBigDecimal(1));
          }
        }
      }
      return values;
    });
  }

  private static int compareGroups(Map<String, String> a, Map<String, String> b) {
    return a.toString().compareTo(b.toString());
  }
}
