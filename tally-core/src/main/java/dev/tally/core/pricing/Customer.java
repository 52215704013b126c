package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A customer: who pays, in which currency and time zone, at which tax rate, for the usage of which subjects.
 *
 * @param id the customer's id
 * @param name display name
 * @param currency ISO 4217 code of the customer's invoices
 * @param taxRatePercent the tax rate, in percent ({@code 20} for 20 %)
 * @param timeZone the zone billing periods are cut in (an April invoice covers April in this zone)
 * @param subjects the event subjects whose usage is this customer's
 * @param billing billing address and other fields, kept as given
 * @param gracePeriod how long this customer's invoices stay drafts after their period, if not the plan's or the
 *     tenant's (see {@link Catalog#gracePeriod(Customer, PlanVersion)})
 * @param declaredTaxes the customer's taxes if declared by name ({@code taxes}); else {@code taxRatePercent} is one
 *     tax named "Tax"
 */
public record Customer(String id, String name, String currency, BigDecimal taxRatePercent, ZoneId timeZone,
    List<String> subjects, Map<String, String> billing, Optional<Duration> gracePeriod,
    Optional<List<Tax>> declaredTaxes) {
  /** A customer whose tax is its {@code taxRatePercent}. */
  public Customer(String id, String name, String currency, BigDecimal taxRatePercent, ZoneId timeZone,
      List<String> subjects, Map<String, String> billing, Optional<Duration> gracePeriod) {
    this(id, name, currency, taxRatePercent, timeZone, subjects, billing, gracePeriod, Optional.empty());
  }

  /** A customer without a grace period of its own. */
  public Customer(String id, String name, String currency, BigDecimal taxRatePercent, ZoneId timeZone,
      List<String> subjects, Map<String, String> billing) {
    this(id, name, currency, taxRatePercent, timeZone, subjects, billing, Optional.empty());
  }

  /** The taxes of lines whose charge and plan declare none: the declared ones, else the rate as one "Tax". */
  public List<Tax> taxes() {
    return declaredTaxes.orElseGet(() -> taxRatePercent.signum() == 0 ? List.of()
        : List.of(new Tax("Tax", taxRatePercent)));
  }

  public Customer {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    currency = Money.currency(currency);
    requireNonNull(taxRatePercent, "taxRatePercent is null");
    requireNonNull(timeZone, "timeZone is null");
    subjects = List.copyOf(subjects);
    billing = Collections.unmodifiableMap(new LinkedHashMap<>(billing));
    requireNonNull(gracePeriod, "gracePeriod is null");
    gracePeriod.ifPresent(Catalog::checkGrace);
    declaredTaxes = declaredTaxes.map(List::copyOf);
    if (taxRatePercent.signum() < 0 || taxRatePercent.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw new IllegalArgumentException("taxRatePercent must be between 0 and 100, given " + taxRatePercent);
    }
  }
}
