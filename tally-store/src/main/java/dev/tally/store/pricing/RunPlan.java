package dev.tally.store.pricing;

import dev.tally.core.pricing.BillingPeriod;
import dev.tally.core.pricing.BillingPeriods;
import dev.tally.core.pricing.Catalog;
import dev.tally.core.pricing.Customer;
import dev.tally.core.pricing.Invoice;
import dev.tally.core.pricing.PlanVersion;
import dev.tally.core.pricing.Subscription;
import dev.tally.store.pricing.InvoiceRunner.Action;
import dev.tally.store.pricing.InvoiceRunner.Outcome;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an invoice run of a month bills, decided from the catalogue and the month's stored invoices alone (no usage is
 * read): one job per subscription and billing period starting in the month whose invoice is not final yet, the
 * outcomes of those already final or void, and the ended subscriptions that may need an adjustment invoice.
 *
 * @param settled the invoices the run leaves as they are (final or void), by subscription then period
 * @param jobs what to measure and assemble, by subscription then period
 * @param subscriptions the subscription of each job, by job key (the invoice id)
 * @param stored the month's stored invoices, by id
 * @param ended the subscriptions with an end day, by id: candidates for an invoice after their end
 */
record RunPlan(List<Outcome> settled, List<UsageMeasurer.Job> jobs, Map<String, Subscription> subscriptions,
    Map<String, StoredInvoice> stored, List<Subscription> ended) {
  RunPlan {
    settled = List.copyOf(settled);
    jobs = List.copyOf(jobs);
    subscriptions = Map.copyOf(subscriptions);
    stored = Map.copyOf(stored);
    ended = List.copyOf(ended);
  }

  /**
   * The plan of a run.
   *
   * @param customers only these customers' subscriptions (empty: all)
   * @param inMonth the stored invoices whose active part starts in the month
   */
  static RunPlan of(Catalog cat, YearMonth month, Set<String> customers, List<StoredInvoice> inMonth) {
    Map<String, StoredInvoice> stored = new HashMap<>();
    inMonth.forEach(i -> stored.put(i.id(), i));
    List<Outcome> settled = new ArrayList<>();
    List<UsageMeasurer.Job> jobs = new ArrayList<>();
    Map<String, Subscription> subscriptions = new HashMap<>();
    List<Subscription> chosen = cat.subscriptionsOf(customers);
    for (Subscription s : chosen) {
      Customer cu = cat.customer(s.customer()).orElseThrow();
      PlanVersion plan = cat.plan(s.plan(), s.version()).orElseThrow();
      for (BillingPeriod p : BillingPeriods.startingIn(s, plan.interval(), cu.timeZone(), month.atDay(1),
          month.plusMonths(1).atDay(1))) {
        String id = Invoice.id(s.id(), p);
        StoredInvoice old = stored.get(id);
        if (old != null && old.status() != StoredInvoice.Status.DRAFT) {
          settled.add(new Outcome(old, old.status() == StoredInvoice.Status.VOID ? Action.ALREADY_VOID
              : Action.ALREADY_FINAL));
        } else {
          jobs.add(new UsageMeasurer.Job(id, cu, plan, p));
          subscriptions.put(id, s);
        }
      }
    }
    return new RunPlan(settled, jobs, subscriptions, stored, chosen.stream().filter(s -> s.end().isPresent())
        .toList());
  }

  /** The subscription a job bills. */
  Subscription subscription(UsageMeasurer.Job job) {
    return subscriptions.get(job.key());
  }

  /** The invoice stored under a job's key (a draft, since final ones have no job), if any. */
  Optional<StoredInvoice> stored(UsageMeasurer.Job job) {
    return Optional.ofNullable(stored.get(job.key()));
  }
}
