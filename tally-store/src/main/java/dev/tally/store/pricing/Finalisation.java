package dev.tally.store.pricing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.pricing.Invoice;
import dev.tally.core.pricing.InvoiceJson;
import dev.tally.store.pricing.InvoiceRunner.Action;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether an assembled invoice becomes final in a run, the document the run stores for it, and what that does to the
 * invoice stored under its id: an invoice is final once {@code finalizesAt} (its period's end plus the grace period)
 * has passed; a draft is left untouched when its document is the one stored. Numbers and content hashes are given
 * when the invoice is written ({@link InvoiceWriter}), in the run's transaction.
 */
final class Finalisation {
  private Finalisation() {}

  /**
   * What to do with one invoice.
   *
   * @param pending the invoice and its document, to write unless {@link #unchanged()}
   * @param action what writing it does
   */
  record Decision(InvoiceWriter.Pending pending, Action action) {
    /** A draft identical to the one stored: nothing to write. */
    boolean unchanged() {
      return action == Action.UNCHANGED;
    }

    boolean finalise() {
      return pending.finalise();
    }
  }

  /**
   * Decides.
   *
   * @param adjustment whether it is an adjustment invoice after a subscription's end (its document says so)
   * @param stored the draft stored under its id, if any
   * @param finalizesAt when it becomes final
   * @param now the moment the run takes as now
   */
  static Decision decide(Invoice inv, boolean adjustment, Optional<StoredInvoice> stored, Instant finalizesAt,
      Instant now) {
    boolean finalise = !now.isBefore(finalizesAt);
    ObjectNode doc = InvoiceJson.toJson(inv);
    if (adjustment) {
      doc.put("kind", "adjustment");
    }
    doc.put("status", finalise ? "final" : "draft");
    InvoiceWriter.Pending pending = new InvoiceWriter.Pending(inv, doc, finalise);
    if (finalise) {
      return new Decision(pending, Action.FINALIZED);
    }
    doc.putNull("number");
    doc.put("finalizesAt", finalizesAt.toString());
    if (stored.isPresent() && stored.get().doc().toString().equals(doc.toString())) {
      return new Decision(pending, Action.UNCHANGED);
    }
    return new Decision(pending, stored.isPresent() ? Action.UPDATED : Action.CREATED);
  }
}
