package dev.tally.store.pricing;

import static java.util.Objects.requireNonNull;

import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.pricing.BillingPeriod;
import dev.tally.core.pricing.BillingPeriods;
import dev.tally.core.pricing.Catalog;
import dev.tally.core.pricing.ChargeUsage;
import dev.tally.core.pricing.Coupon;
import dev.tally.core.pricing.Customer;
import dev.tally.core.pricing.Invoice;
import dev.tally.core.pricing.InvoiceAssembler;
import dev.tally.core.pricing.InvoiceRequest;
import dev.tally.core.pricing.PlanVersion;
import dev.tally.core.pricing.Subscription;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Re-rates past usage under another plan version and compares it with what customers were invoiced, without
 * touching any invoice.
 *
 * <p>For each subscription of the chosen customers and each of its billing periods whose active part starts in
 * {@code [from, to)}: "invoiced" is the stored invoice's total before credits (or, for a period not invoiced yet, the
 * subscription's own plan rated now), "simulated" is the same period rated with the other plan, the same usage,
 * discounts, coupons and tax. Credits are a means of payment, not a price, so both figures are before credits;
 * late-usage adjustments are left out of the simulation because re-rating sees the late events in their own period.
 */
public final class Simulator {
  private final CatalogStore catalog;
  private final InvoiceStore invoices;
  private final UsageMeasurer measurer;

  Simulator(CatalogStore catalog, InvoiceStore invoices, UsageMeasurer measurer) {
    this.catalog = catalog;
    this.invoices = invoices;
    this.measurer = measurer;
  }

  /**
   * One period of a simulation.
   *
   * @param invoice the invoice id of the period
   * @param number its number, if final
   * @param invoiced whether a stored invoice exists (else the actual figure is the current plan rated now)
   * @param actual the invoice's total before credits
   * @param simulated the total before credits under the other plan
   */
  public record PeriodResult(String invoice, Optional<String> number, boolean invoiced, BigDecimal actual,
      BigDecimal simulated) {}

  /**
   * One customer's outcome.
   *
   * @param customer the customer
   * @param currency the currency of the amounts
   * @param actual the sum of invoiced amounts
   * @param simulated the sum of simulated amounts
   * @param periods the periods
   */
  public record CustomerResult(String customer, String currency, BigDecimal actual, BigDecimal simulated,
      List<PeriodResult> periods) {
    public CustomerResult {
      periods = List.copyOf(periods);
    }

    /** Simulated minus actual: positive when the other plan would have cost more. */
    public BigDecimal difference() {
      return simulated.subtract(actual);
    }
  }

  /**
   * The outcome of a simulation.
   *
   * @param plan the simulated plan version
   * @param from first day
   * @param to day after the last
   * @param customers per customer, by id
   */
  public record Result(String plan, LocalDate from, LocalDate to, List<CustomerResult> customers) {
    public Result {
      requireNonNull(plan, "plan is null");
      customers = List.copyOf(customers);
    }

    /** The total difference per currency. */
    public Map<String, BigDecimal> differenceByCurrency() {
      Map<String, BigDecimal> out = new TreeMap<>();
      customers.forEach(c -> out.merge(c.currency(), c.difference(), BigDecimal::add));
      return out;
    }
  }

  /**
   * Simulates a plan.
   *
   * @param planRef {@code plan} (its latest version) or {@code plan@version}
   * @param customers only these customers (empty: every customer with a subscription)
   */
  public Result simulate(String tenant, String planRef, LocalDate from, LocalDate to, Set<String> customers) {
    if (!from.isBefore(to)) {
      throw TallyException.invalid(Problem.of("from", "must be before 'to' (" + to + ")", from.toString()));
    }
    Catalog cat = catalog.load(tenant);
    PlanVersion other = resolve(cat, planRef);
    List<Problem> problems = new ArrayList<>();
    customers.stream().filter(c -> cat.customer(c).isEmpty())
        .forEach(c -> problems.add(Problem.of("customers", "no customer '" + c + "'", c)));
    Map<String, Coupon> coupons = cat.coupons().stream().collect(Collectors.toMap(Coupon::code, c -> c));
    Map<String, List<PeriodResult>> byCustomer = new TreeMap<>();
    for (Subscription s : cat.subscriptionsOf(customers)) {
      Customer cu = cat.customer(s.customer()).orElseThrow();
      PlanVersion current = cat.plan(s.plan(), s.version()).orElseThrow();
      if (current.interval() != other.interval() || !cu.currency().equals(other.currency())) {
        problems.add(Problem.of("plan", "plan " + other.ref() + " bills " + other.currency() + " per "
            + other.interval().label() + " but subscription '" + s.id() + "' bills " + cu.currency() + " per "
            + current.interval().label() + "; simulation compares like periods", planRef));
        continue;
      }
      for (BillingPeriod p : BillingPeriods.startingIn(s, current.interval(), cu.timeZone(), from, to)) {
        String id = Invoice.id(s.id(), p);
        Optional<StoredInvoice> stored = invoices.find(tenant, id);
        BigDecimal actual = stored.map(StoredInvoice::totalBeforeCredits)
            .orElseGet(() -> rate(cu, s, current, p, measurer.measure(tenant, cu, current, p), cat, coupons)
                .totalBeforeCredits());
        BigDecimal simulated = rate(cu, s, other, p, measurer.measure(tenant, cu, other, p), cat, coupons)
            .totalBeforeCredits();
        byCustomer.computeIfAbsent(cu.id(), k -> new ArrayList<>()).add(new PeriodResult(id,
            stored.flatMap(StoredInvoice::number), stored.isPresent(), actual, simulated));
      }
    }
    if (!problems.isEmpty()) {
      throw TallyException.invalid("cannot simulate plan " + other.ref(), problems);
    }
    List<CustomerResult> results = new ArrayList<>();
    byCustomer.forEach((id, periods) -> results.add(new CustomerResult(id, cat.customer(id).orElseThrow().currency(),
        periods.stream().map(PeriodResult::actual).reduce(BigDecimal.ZERO, BigDecimal::add),
        periods.stream().map(PeriodResult::simulated).reduce(BigDecimal.ZERO, BigDecimal::add), periods)));
    return new Result(other.ref(), from, to, results);
  }

  private static Invoice rate(Customer cu, Subscription s, PlanVersion plan, BillingPeriod p,
      List<ChargeUsage> usage, Catalog cat, Map<String, Coupon> coupons) {
    try {
      return InvoiceAssembler.assemble(new InvoiceRequest(cu, s, plan, p, usage, cat.discounts(), coupons, List.of(),
          List.of()));
    } catch (IllegalArgumentException e) {
      throw TallyException.invalid(Problem.of("plan", "cannot rate subscription '" + s.id() + "' period "
          + p.describe() + " with plan " + plan.ref() + ": " + e.getMessage(), plan.ref()));
    }
  }

  /** {@code plan} or {@code plan@version}. */
  static PlanVersion resolve(Catalog cat, String ref) {
    int at = ref.indexOf('@');
    Optional<PlanVersion> p;
    if (at < 0) {
      p = cat.latest(ref);
    } else {
      try {
        p = cat.plan(ref.substring(0, at), Integer.parseInt(ref.substring(at + 1)));
      } catch (NumberFormatException e) {
        throw TallyException.invalid(Problem.of("plan", "must be PLAN or PLAN@VERSION", ref));
      }
    }
    return p.orElseThrow(() -> new TallyException(ErrorCode.NOT_FOUND, "no plan '" + ref + "' (plans: "
        + cat.plans().stream().map(PlanVersion::ref).collect(Collectors.joining(", ")) + ")"));
  }
}
