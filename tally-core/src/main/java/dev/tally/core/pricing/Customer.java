package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 */
public record Customer(String id, String name, String currency, BigDecimal taxRatePercent, ZoneId timeZone,
    List<String> subjects, Map<String, String> billing) {
  public Customer {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    currency = Money.currency(currency);
    requireNonNull(taxRatePercent, "taxRatePercent is null");
    requireNonNull(timeZone, "timeZone is null");
    subjects = List.copyOf(subjects);
    billing = Collections.unmodifiableMap(new LinkedHashMap<>(billing));
    if (taxRatePercent.signum() < 0 || taxRatePercent.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw new IllegalArgumentException("taxRatePercent must be between 0 and 100, given " + taxRatePercent);
    }
  }
}
