package dev.tally.core.pricing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One version of a plan. Versions are immutable once defined: a change is a new version, so invoices already issued
 * keep the prices they were issued with.
 *
 * @param plan the plan's id
 * @param version the version number, from 1
 * @param name display name
 * @param currency ISO 4217 code of all amounts
 * @param interval the billing interval
 * @param fixedFee an optional fixed fee per period
 * @param minimumCommitment an optional minimum amount per period, trued up when fees and charges fall short
 * @param charges the metered charges, ids unique
 * @param gracePeriod how long invoices of this plan stay drafts after their period, unless the customer has its
 *     own (see {@link Catalog#gracePeriod(Customer, PlanVersion)})
 * @param taxes the taxes of this plan's lines instead of the customer's, if declared (empty list: exempt)
 * @param pricesIncludeTax whether every amount of this version (fees, prices, the commitment, amount discounts
 *     applied to its invoices) already includes the taxes of the line it is on; the invoice then states each line
 *     net of the tax it contains and shows that tax on tax lines, so that the total is what the prices said
 *     (see {@link InvoiceAssembler})
 */
public record PlanVersion(String plan, int version, String name, String currency, BillingInterval interval,
    Optional<FixedFee> fixedFee, Optional<BigDecimal> minimumCommitment, List<Charge> charges,
    Optional<Duration> gracePeriod, Optional<List<Tax>> taxes, boolean pricesIncludeTax) {
  /** A plan version whose prices are before tax. */
  public PlanVersion(String plan, int version, String name, String currency, BillingInterval interval,
      Optional<FixedFee> fixedFee, Optional<BigDecimal> minimumCommitment, List<Charge> charges,
      Optional<Duration> gracePeriod, Optional<List<Tax>> taxes) {
    this(plan, version, name, currency, interval, fixedFee, minimumCommitment, charges, gracePeriod, taxes, false);
  }

  /** A plan version without taxes of its own. */
  public PlanVersion(String plan, int version, String name, String currency, BillingInterval interval,
      Optional<FixedFee> fixedFee, Optional<BigDecimal> minimumCommitment, List<Charge> charges,
      Optional<Duration> gracePeriod) {
    this(plan, version, name, currency, interval, fixedFee, minimumCommitment, charges, gracePeriod,
        Optional.empty());
  }

  /** A plan version without a grace period of its own. */
  public PlanVersion(String plan, int version, String name, String currency, BillingInterval interval,
      Optional<FixedFee> fixedFee, Optional<BigDecimal> minimumCommitment, List<Charge> charges) {
    this(plan, version, name, currency, interval, fixedFee, minimumCommitment, charges, Optional.empty());
  }

  public PlanVersion {
    requireNonNull(plan, "plan is null");
    requireNonNull(name, "name is null");
    currency = Money.currency(currency);
    requireNonNull(interval, "interval is null");
    requireNonNull(fixedFee, "fixedFee is null");
    requireNonNull(minimumCommitment, "minimumCommitment is null");
    charges = List.copyOf(charges);
    requireNonNull(gracePeriod, "gracePeriod is null");
    gracePeriod.ifPresent(Catalog::checkGrace);
    taxes = requireNonNull(taxes, "taxes is null").map(List::copyOf);
    if (version < 1) {
      throw new IllegalArgumentException("version must be 1 or more, given " + version);
    }
    minimumCommitment.ifPresent(m -> {
      if (m.signum() < 0) {
        throw new IllegalArgumentException("minimumCommitment must not be negative, given " + m);
      }
    });
    Set<String> ids = new HashSet<>();
    for (Charge c : charges) {
      if (!ids.add(c.id())) {
        throw new IllegalArgumentException("charge id '" + c.id() + "' is used twice");
      }
    }
  }

  /** {@code plan@version}, as commands name a version. */
  public String ref() {
    return plan + "@" + version;
  }
}
