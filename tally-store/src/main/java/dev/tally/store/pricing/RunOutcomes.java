package dev.tally.store.pricing;

import dev.tally.store.pricing.InvoiceRunner.Action;
import dev.tally.store.pricing.InvoiceRunner.Failure;
import dev.tally.store.pricing.InvoiceRunner.Outcome;
import dev.tally.store.pricing.InvoiceRunner.RunResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a run did, gathered as it goes: the invoices to write, the outcomes of those it leaves as they are, the
 * failures; once the invoices are written, each is read back so that callers see it exactly as every later read will.
 */
final class RunOutcomes {
  private final List<Outcome> outcomes;
  private final List<Failure> failures = new ArrayList<>();
  private final List<InvoiceWriter.Pending> pending = new ArrayList<>();
  private final Map<String, Action> actions = new HashMap<>();
  /** The adjustment invoices after a subscription's end, which may start in another month than the run's. */
  private final Set<String> afterEnd = new LinkedHashSet<>();

  /** Starts with the invoices the run leaves as they are (final or void). */
  RunOutcomes(List<Outcome> settled) {
    outcomes = new ArrayList<>(settled);
  }

  /** A period's invoice: to write, or (a draft as stored) its outcome as it is. */
  void period(Finalisation.Decision d, Optional<StoredInvoice> stored) {
    if (d.unchanged()) {
      outcomes.add(new Outcome(stored.orElseThrow(), Action.UNCHANGED));
    } else {
      write(d);
    }
  }

  /** An adjustment invoice after a subscription's end, to write. */
  void afterEnd(Finalisation.Decision d) {
    write(d);
    afterEnd.add(d.pending().invoice().id());
  }

  void failed(Failure f) {
    failures.add(f);
  }

  /** The invoices to write, in the order they were assembled. */
  List<InvoiceWriter.Pending> pending() {
    return List.copyOf(pending);
  }

  /** Reads back the written invoices (after the transaction that wrote them) as the outcomes of the run. */
  void readBack(Connection c, String tenant, YearMonth month) throws SQLException {
    for (StoredInvoice i : InvoiceStore.inMonth(c, tenant, month)) {
      Action a = actions.get(i.id());
      if (a != null && !afterEnd.contains(i.id())) {
        outcomes.add(new Outcome(i, a));
      }
    }
    for (String id : afterEnd) {
      outcomes.add(new Outcome(InvoiceStore.find(c, tenant, id).orElseThrow(), actions.get(id)));
    }
  }

  /** The run's result, its outcomes by subscription then period. */
  RunResult result(Instant asOf) {
    List<Outcome> sorted = new ArrayList<>(outcomes);
    sorted.sort(Comparator.comparing((Outcome o) -> o.invoice().subscription())
        .thenComparing(o -> o.invoice().activeStart()));
    return new RunResult(asOf, sorted, failures);
  }

  private void write(Finalisation.Decision d) {
    pending.add(d.pending());
    actions.put(d.pending().invoice().id(), d.action());
  }
}
