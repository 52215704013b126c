package dev.tally.store.pricing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.pricing.BillingPeriod;
import dev.tally.core.pricing.Catalog;
import dev.tally.core.pricing.Subscription;
import dev.tally.store.TallyStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Invoice runs: one invoice per subscription and billing period whose active part starts in the month asked for.
 *
 * <p>Lifecycle: an invoice is a draft until its period's active end plus the tenant's grace period has passed on the
 * store's clock; each run recomputes drafts (so late events within the grace period update them) and leaves a draft
 * untouched when nothing changed. A run after the grace period finalises it: it takes the tenant's next number (in the
 * same transaction, so numbers have no gaps), its document is sealed with a content hash, and it is never changed
 * again. Runs are idempotent: running the same month twice changes nothing the second time.
 *
 * <p>Late events: when events arrive for the period of a final invoice, the first invoice of the same subscription
 * after it that is not final yet carries one adjustment line per affected usage line, for the difference between the
 * line rated again and what was billed for it so far (on the invoice and in earlier final adjustments). The
 * adjustment is a charge of the invoice carrying it, so that invoice's discounts and tax apply to it.
 *
 * <p>Steps, each a unit of its own: {@link RunPlan} decides what to bill from the catalogue and the month's stored
 * invoices; {@link UsageMeasurer#measureAll} measures the usage of every job; {@link RunAssembly} assembles the
 * invoices in order (with {@link LateUsage} for the adjustments) and {@link Finalisation} decides draft or final;
 * {@link InvoiceWriter} writes them; {@link RunOutcomes} gathers the outcomes and reads the written invoices back.
 *
 * <p>Cost: usage is measured with one query per charge for all subscriptions sharing a plan version and a period
 * ({@link UsageMeasurer#measureAll}); credit balances and earlier invoices are loaded once; the run's invoices are
 * written together in one transaction through appenders ({@link InvoiceWriter}). The whole run holds the store's
 * write lock, so no ingest commits halfway through and credits are consumed in a fixed order (by subscription id,
 * then period).
 */
public final class InvoiceRunner {
  private final TallyStore store;
  private final CatalogStore catalog;
  private final UsageMeasurer measurer;

  InvoiceRunner(TallyStore store, CatalogStore catalog, UsageMeasurer measurer) {
    this.store = store;
    this.catalog = catalog;
    this.measurer = measurer;
  }

  /** What a run did to one invoice. */
  public enum Action {
    CREATED,
    UPDATED,
    UNCHANGED,
    FINALIZED,
    ALREADY_FINAL,
    ALREADY_VOID;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /**
   * One invoice of a run.
   *
   * @param invoice the invoice as stored after the run
   * @param action what the run did
   */
  public record Outcome(StoredInvoice invoice, Action action) {}

  /**
   * An invoice a run could not produce. The subscription's other periods and every other subscription are invoiced
   * all the same; a draft this invoice had is left as it was, and a later run tries again.
   *
   * @param invoice the invoice id it would have had ({@code <subscription>@<first active day>})
   * @param subscription the subscription
   * @param customer the customer
   * @param period the billing period, {@code start..end} of its active part
   * @param reason what stopped it, once
   */
  public record Failure(String invoice, String subscription, String customer, String period, String reason) {
    /** One line for people: {@code sub-x@2024-04-01 (customer c, 2024-04-01..2024-05-01): reason}. */
    public String describe() {
      return invoice + " (customer " + customer + ", " + period + "): " + reason;
    }
  }

  /**
   * What a run did.
   *
   * @param asOf the moment the run took as now: drafts whose period plus grace ended by then were finalised
   * @param outcomes every invoice produced or found final, by subscription then period
   * @param failures the invoices that could not be produced, with why
   */
  public record RunResult(Instant asOf, List<Outcome> outcomes, List<Failure> failures) {
    public RunResult {
      outcomes = List.copyOf(outcomes);
      failures = List.copyOf(failures);
    }

    /**
     * The run as JSON, the same from the CLI and over HTTP: {@code asOf}; {@code invoices}, each with
     * {@code invoiceId} (stable, {@code <subscription>@<first active day>}) and {@code invoiceNumber} (null until
     * final) in fields of their own; {@code failures}, each with its {@code reason}.
     */
    public ObjectNode toJson() {
      ObjectNode root = Json.json().createObjectNode();
      root.put("asOf", asOf.toString());
      ArrayNode invoices = root.putArray("invoices");
      for (Outcome o : outcomes) {
        StoredInvoice i = o.invoice();
        ObjectNode n = invoices.addObject();
        n.put("invoiceId", i.id());
        i.number().ifPresentOrElse(num -> n.put("invoiceNumber", num), () -> n.putNull("invoiceNumber"));
        n.put("status", i.status().label());
        n.put("action", o.action().label());
        n.put("customerId", i.customer());
        n.put("subscriptionId", i.subscription());
        i.putTerms(n);
      }
      ArrayNode failed = root.putArray("failures");
      for (Failure f : failures) {
        ObjectNode n = failed.addObject();
        n.put("invoiceId", f.invoice());
        n.put("customerId", f.customer());
        n.put("subscriptionId", f.subscription());
        n.put("period", f.period());
        n.put("reason", f.reason());
      }
      return root;
    }
  }

  /**
   * Runs the invoices of a month at the store's clock and returns them; if any invoice failed, the others are
   * written and the failures are thrown together (one problem per failed invoice). Callers that report failures
   * themselves use {@link #run(String, YearMonth, Set, Optional)}.
   *
   * @param customers only these customers' subscriptions (empty: all)
   */
  public List<Outcome> run(String tenant, YearMonth month, Set<String> customers) {
    RunResult r = run(tenant, month, customers, Optional.empty());
    if (!r.failures().isEmpty()) {
      throw failed(r);
    }
    return r.outcomes();
  }

  /** The failures of a run as one error: a headline with the count, then one problem per failed invoice. */
  public static TallyException failed(RunResult r) {
    return TallyException.invalid(r.failures().size() + " of " + (r.failures().size() + r.outcomes().size())
        + " invoice(s) failed; the others were written", r.failures().stream()
        .map(f -> Problem.of("subscriptions[" + f.subscription() + "]", "period " + f.period() + " (invoice "
            + f.invoice() + "): " + f.reason())).toList());
  }

  /**
   * Runs the invoices of a month. Each invoice succeeds or fails alone: a subscription whose usage cannot be priced
   * (no price for a dimensional group and no fallback, say) is reported in {@link RunResult#failures()} and every
   * other invoice is written.
   *
   * @param customers only these customers' subscriptions (empty: all)
   * @param asOf the moment to take as now for drafts, grace periods and finalisation (default: the store's clock)
   */
  public RunResult run(String tenant, YearMonth month, Set<String> customers, Optional<Instant> asOf) {
    TallyStore.checkTenant(tenant);
    Catalog cat = catalog.load(tenant);
    List<Problem> unknown = customers.stream().filter(c -> cat.customer(c).isEmpty())
        .map(c -> Problem.of("customers", "no customer '" + c + "'", c)).toList();
    if (!unknown.isEmpty()) {
      throw TallyException.invalid("unknown customers", unknown);
    }
    return store.write(w -> {
      long seq = maxSeq(w, tenant);
      Instant written = store.clock().instant();
      Instant now = asOf.orElse(written);
      RunPlan plan = RunPlan.of(cat, month, customers, InvoiceStore.inMonth(w, tenant, month));
      UsageMeasurer.Measured usage = measurer.measureAll(tenant, plan.jobs());
      RunAssembly assembly = RunAssembly.load(w, tenant, cat, measurer, now);
      RunOutcomes run = new RunOutcomes(plan.settled());
      for (UsageMeasurer.Job j : plan.jobs()) {
        Subscription s = plan.subscription(j);
        try {
          run.period(assembly.period(j, s, usage.of(j.key()), plan.stored(j)), plan.stored(j));
        } catch (IllegalArgumentException | TallyException e) {
          // This invoice alone fails; the run goes on with the others (nothing of it is recorded or written).
          BillingPeriod p = j.period();
          run.failed(new Failure(j.key(), s.id(), s.customer(), p.activeStart() + ".." + p.activeEnd(),
              e.getMessage()));
        }
      }
      for (Subscription s : plan.ended()) {
        try {
          assembly.afterEnd(s).ifPresent(run::afterEnd);
        } catch (IllegalArgumentException | TallyException e) {
          run.failed(new Failure(s.id() + "@" + s.end().get(), s.id(), s.customer(), "after its end "
              + s.end().get(), e.getMessage()));
        }
      }
      List<InvoiceWriter.Pending> pending = run.pending();
      if (!pending.isEmpty()) {
        store.transaction(c -> {
          InvoiceWriter.write(c, tenant, pending, seq, written);
          return null;
        });
        run.readBack(w, tenant, month);
      }
      return run.result(now);
    });
  }

  private static long maxSeq(Connection c, String tenant) throws SQLException {
    return InvoiceStore.number(c, "SELECT coalesce(max(seq), 0) FROM events WHERE tenant = ?", tenant);
  }
}
