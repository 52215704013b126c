package dev.tally.store.pricing;

import dev.tally.core.pricing.Adjustment;
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
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The invoices of one run, assembled in the run's order ({@link InvoiceAssembler} does the rating): each sees the
 * credit the invoices before it consumed ({@link CreditLedger}) and carries the late-usage adjustments no earlier one
 * of the run carries ({@link LateUsage}, {@link InvoiceHistory}); whether it becomes final is decided by
 * {@link Finalisation}. Nothing is written here.
 */
final class RunAssembly {
  private final Connection c;
  private final String tenant;
  private final Catalog cat;
  private final Instant now;
  private final CreditLedger ledger;
  private final InvoiceHistory history;
  private final LateUsage late;
  private final Map<String, Coupon> coupons;

  private RunAssembly(Connection c, String tenant, Catalog cat, Instant now, CreditLedger ledger,
      InvoiceHistory history, UsageMeasurer measurer) {
    this.c = c;
    this.tenant = tenant;
    this.cat = cat;
    this.now = now;
    this.ledger = ledger;
    this.history = history;
    this.late = new LateUsage(c, tenant, cat, history, measurer);
    this.coupons = cat.coupons().stream().collect(Collectors.toMap(Coupon::code, k -> k));
  }

  /**
   * Loads what the run's invoices depend on besides their usage: credit consumed and earlier invoices (once each).
   *
   * @param c the run's connection
   * @param now the moment the run takes as now
   */
  static RunAssembly load(Connection c, String tenant, Catalog cat, UsageMeasurer measurer, Instant now)
      throws SQLException {
    return new RunAssembly(c, tenant, cat, now, CreditLedger.load(c, tenant), InvoiceHistory.load(c, tenant),
        measurer);
  }

  /**
   * The invoice of a job's period from its measured usage. An IllegalArgumentException or TallyException says this
   * invoice cannot be made (and nothing of it is recorded); an SQLException is the store's.
   *
   * @param stored the draft stored under its id, if any
   */
  Finalisation.Decision period(UsageMeasurer.Job j, Subscription s, List<ChargeUsage> usage,
      Optional<StoredInvoice> stored) throws SQLException {
    BillingPeriod p = j.period();
    Invoice inv = InvoiceAssembler.assemble(new InvoiceRequest(j.customer(), s, j.plan(), p, usage, cat.discounts(),
        coupons, ledger.balances(cat, j.customer(), j.key()), late.of(j.customer(), s, p)));
    return decided(inv, false, stored, p.to().plus(cat.gracePeriod(j.customer(), j.plan())));
  }

  /**
   * Late usage of a subscription that has ended, once every period's invoice is final: no later invoice of its own
   * can carry the difference, so it gets an adjustment invoice, {@code <subscription>@<end day>} (then
   * {@code ...@<end day>.2} and so on once that one is final). Its one-day period starts on the end day, so it sorts
   * after every period; it has no fee, usage or commitment of its own, only the adjustment lines, on which the
   * customer's discounts, tax and credit apply as on any invoice. It stays a draft for the grace period from when it
   * was first made, so that late events arriving together go on one invoice.
   *
   * @return nothing when there is nothing to adjust, or its draft is unchanged
   */
  Optional<Finalisation.Decision> afterEnd(Subscription s) throws SQLException {
    Customer cu = cat.customer(s.customer()).orElseThrow();
    PlanVersion plan = cat.plan(s.plan(), s.version()).orElseThrow();
    LocalDate end = s.end().orElseThrow();
    List<BillingPeriod> periods = BillingPeriods.startingIn(s, plan.interval(), cu.timeZone(), s.start(), end);
    if (periods.isEmpty()) {
      return Optional.empty();
    }
    LocalDate lastStart = periods.get(periods.size() - 1).activeStart();
    // Until the last period is final (before this run), the regular invoices carry late usage.
    if (history.finalsBefore(s.id(), end).stream().noneMatch(f -> f.period().activeStart().equals(lastStart))) {
      return Optional.empty();
    }
    BillingPeriod after = new BillingPeriod(end, end.plusDays(1), end, end.plusDays(1), cu.timeZone());
    Optional<StoredInvoice> open = Optional.empty();
    String id = null;
    for (int k = 1; id == null; k++) {
      String candidate = s.id() + "@" + end + (k == 1 ? "" : "." + k);
      Optional<StoredInvoice> found = InvoiceStore.find(c, tenant, candidate);
      if (found.isEmpty() || found.get().status() == StoredInvoice.Status.DRAFT) {
        id = candidate;
        open = found;
      }
    }
    List<Adjustment> adjustments = late.of(cu, s, after);
    if (adjustments.isEmpty()) {
      return Optional.empty();
    }
    // No fee and no commitment (the subscription has ended), but the plan's charges, taxes and tax inclusion, so
    // that each adjustment is taxed as its charge was.
    PlanVersion bare = new PlanVersion(plan.plan(), plan.version(), plan.name(), plan.currency(), plan.interval(),
        Optional.empty(), Optional.empty(), plan.charges(), plan.gracePeriod(), plan.taxes(), plan.pricesIncludeTax());
    Invoice assembled = InvoiceAssembler.assemble(new InvoiceRequest(cu, s, bare, after, List.of(), cat.discounts(),
        coupons, ledger.balances(cat, cu, id), adjustments));
    Invoice inv = new Invoice(id, assembled.customer(), assembled.subscription(), assembled.plan(),
        assembled.currency(), after, assembled.lines());
    Instant finalizesAt = open.filter(o -> o.doc().hasNonNull("finalizesAt"))
        .map(o -> Instant.parse(o.doc().path("finalizesAt").asText())).orElseGet(() -> now.plus(cat.gracePeriod(cu,
            plan)));
    Finalisation.Decision d = decided(inv, true, open, finalizesAt);
    return d.unchanged() ? Optional.empty() : Optional.of(d);
  }

  /** Records the invoice for the run's later invoices, then decides it. */
  private Finalisation.Decision decided(Invoice inv, boolean adjustment, Optional<StoredInvoice> stored,
      Instant finalizesAt) {
    ledger.record(inv);
    Finalisation.Decision d = Finalisation.decide(inv, adjustment, stored, finalizesAt, now);
    history.record(inv, d.finalise());
    return d;
  }
}
