package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A metered charge of a plan: the usage of one meter (optionally only the rows with some group-by values), priced.
 *
 * @param id the charge's id within its plan version
 * @param description what the invoice line says
 * @param meter the meter's slug
 * @param filter only usage whose group-by values equal these
 * @param unit the unit of the quantity as invoices and FOCUS rows show it ({@code tokens}, {@code GB-hours})
 * @param pricing how the usage is priced
 * @param taxes the taxes of this charge's lines instead of the plan's or the customer's, if declared (empty: exempt)
 */
public record Charge(String id, String description, String meter, Map<String, String> filter, String unit,
    Pricing pricing, Optional<List<Tax>> taxes) {
  /** A charge taxed like the rest of its plan. */
  public Charge(String id, String description, String meter, Map<String, String> filter, String unit,
      Pricing pricing) {
    this(id, description, meter, filter, unit, pricing, Optional.empty());
  }

  public Charge {
    requireNonNull(id, "id is null");
    requireNonNull(description, "description is null");
    requireNonNull(meter, "meter is null");
    filter = Collections.unmodifiableMap(new LinkedHashMap<>(filter));
    requireNonNull(unit, "unit is null");
    requireNonNull(pricing, "pricing is null");
    taxes = requireNonNull(taxes, "taxes is null").map(List::copyOf);
  }
}
