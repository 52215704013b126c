package dev.tally.store.cost;

import static java.util.Objects.requireNonNull;

import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.CostMetric;
import dev.tally.store.TallyStore;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * What a report looks at: whose charges, which ones (filters, charge categories), over which days in which zone, and
 * which cost it sums. A charge belongs to the day (in {@code zone}) of its {@code ChargePeriodStart}; it is not spread
 * over its charge period, so a monthly purchase counts on its first day.
 *
 * @param tenant the tenant
 * @param filters conditions that must all hold
 * @param from first day, inclusive, if bounded
 * @param to last day, exclusive, if bounded
 * @param zone the zone days, weeks and months are computed in
 * @param metric which cost to sum
 * @param charges which charge categories
 */
public record CostScope(String tenant, List<CostFilter> filters, Optional<LocalDate> from, Optional<LocalDate> to,
    ZoneId zone, CostMetric metric, ChargeScope charges) {
  public CostScope {
    TallyStore.checkTenant(tenant);
    filters = List.copyOf(filters);
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    requireNonNull(zone, "zone is null");
    requireNonNull(metric, "metric is null");
    requireNonNull(charges, "charges is null");
    if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
      throw new IllegalArgumentException("from " + from.get() + " must be before to " + to.get()
          + " (to is exclusive)");
    }
  }

  /** All of a tenant's usage, billed cost, days in UTC. */
  public static CostScope of(String tenant) {
    return new CostScope(tenant, List.of(), Optional.empty(), Optional.empty(), ZoneOffset.UTC, CostMetric.BILLED,
        ChargeScope.USAGE);
  }

  public CostScope withFilters(List<CostFilter> f) {
    return new CostScope(tenant, f, from, to, zone, metric, charges);
  }

  public CostScope withDays(Optional<LocalDate> f, Optional<LocalDate> t) {
    return new CostScope(tenant, filters, f, t, zone, metric, charges);
  }

  public CostScope withZone(ZoneId z) {
    return new CostScope(tenant, filters, from, to, z, metric, charges);
  }

  public CostScope withMetric(CostMetric m) {
    return new CostScope(tenant, filters, from, to, zone, m, charges);
  }

  public CostScope withCharges(ChargeScope c) {
    return new CostScope(tenant, filters, from, to, zone, metric, c);
  }
}
