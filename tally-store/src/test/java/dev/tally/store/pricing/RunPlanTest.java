package dev.tally.store.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tally.core.json.Json;
import dev.tally.core.pricing.Catalog;
import dev.tally.core.pricing.CatalogReader;
import dev.tally.core.pricing.Subscription;
import dev.tally.store.pricing.InvoiceRunner.Action;
import dev.tally.store.pricing.InvoiceRunner.Outcome;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plan of a run, from the catalogue and the month's stored invoices alone: no store, no usage. */
class RunPlanTest {
  static final YearMonth APRIL = YearMonth.of(2024, 4);
  static final Catalog CATALOG = CatalogReader.parseFile("""
      customers:
        - {id: a, currency: USD}
        - {id: b, currency: USD}
      plans:
        - {id: monthly, version: 1, currency: USD, fixedFee: {amount: 5}}
        - {id: weekly, version: 1, currency: USD, interval: week, fixedFee: {amount: 1}}
      subscriptions:
        - {id: sub-z, customer: a, plan: monthly, version: 1, start: 2024-01-01}
        - {id: sub-w, customer: a, plan: weekly, version: 1, start: 2024-04-01, end: 2024-04-15}
        - {id: sub-b, customer: b, plan: monthly, version: 1, start: 2024-04-10}
        - {id: sub-v, customer: b, plan: monthly, version: 1, start: 2024-01-01}
        - {id: sub-later, customer: b, plan: monthly, version: 1, start: 2024-05-01}
      """, "catalog.yaml");

  @Test
  void everyPeriodStartingInTheMonthIsAJobBySubscriptionThenPeriod() {
    RunPlan plan = RunPlan.of(CATALOG, APRIL, Set.of(), List.of());
    assertThat(plan.jobs()).extracting(UsageMeasurer.Job::key).containsExactly("sub-b@2024-04-10",
        "sub-v@2024-04-01", "sub-w@2024-04-01", "sub-w@2024-04-08", "sub-z@2024-04-01");
    assertThat(plan.settled()).isEmpty();
    UsageMeasurer.Job first = plan.jobs().get(0);
    assertThat(plan.subscription(first).id()).isEqualTo("sub-b");
    assertThat(first.customer().id()).isEqualTo("b");
    assertThat(first.plan().ref()).isEqualTo("monthly@1");
    assertThat(first.period().activeStart()).isEqualTo(LocalDate.of(2024, 4, 10));
    assertThat(plan.stored(first)).isEmpty();
    assertThat(plan.ended()).extracting(Subscription::id).containsExactly("sub-w");
  }

  @Test
  void finalAndVoidInvoicesAreSettledAndDraftsAreJobsAgain() {
    StoredInvoice fin = stored("sub-z@2024-04-01", "sub-z", StoredInvoice.Status.FINAL);
    StoredInvoice voided = stored("sub-v@2024-04-01", "sub-v", StoredInvoice.Status.VOID);
    StoredInvoice draft = stored("sub-b@2024-04-10", "sub-b", StoredInvoice.Status.DRAFT);
    RunPlan plan = RunPlan.of(CATALOG, APRIL, Set.of(), List.of(fin, voided, draft));
    assertThat(plan.settled()).extracting(Outcome::invoice, Outcome::action).containsExactly(
        tuple(voided, Action.ALREADY_VOID),
        tuple(fin, Action.ALREADY_FINAL));
    assertThat(plan.jobs()).extracting(UsageMeasurer.Job::key).containsExactly("sub-b@2024-04-10",
        "sub-w@2024-04-01", "sub-w@2024-04-08");
    assertThat(plan.stored(plan.jobs().get(0))).contains(draft);
  }

  @Test
  void onlyTheCustomersAsked() {
    RunPlan plan = RunPlan.of(CATALOG, APRIL, Set.of("b"), List.of());
    assertThat(plan.jobs()).extracting(UsageMeasurer.Job::key).containsExactly("sub-b@2024-04-10",
        "sub-v@2024-04-01");
    assertThat(plan.ended()).isEmpty();
  }

  static StoredInvoice stored(String id, String subscription, StoredInvoice.Status status) {
    LocalDate start = LocalDate.parse(id.substring(id.indexOf('@') + 1));
    return new StoredInvoice(id, subscription, "a", "monthly@1", start, start.plusMonths(1), start, start.plusMonths(1),
        status, status == StoredInvoice.Status.DRAFT ? Optional.empty() : Optional.of("INV-000001"), "USD",
        BigDecimal.TEN, BigDecimal.TEN, 0, Json.json().createObjectNode(), Optional.empty());
  }
}
