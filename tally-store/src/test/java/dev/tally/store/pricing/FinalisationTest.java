package dev.tally.store.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.pricing.BillingPeriod;
import dev.tally.core.pricing.Invoice;
import dev.tally.core.pricing.InvoiceJson;
import dev.tally.store.pricing.InvoiceRunner.Action;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Draft or final, and the document a run stores, decided without a store. */
class FinalisationTest {
  static final LocalDate APRIL = LocalDate.of(2024, 4, 1);
  static final Invoice INVOICE = new Invoice("sub@2024-04-01", "c", "sub", "p@1", "USD",
      new BillingPeriod(APRIL, APRIL.plusMonths(1), APRIL, APRIL.plusMonths(1), ZoneId.of("UTC")), List.of());
  static final Instant FINALIZES = Instant.parse("2024-05-04T00:00:00Z");

  @Test
  void beforeItsTimeADraftWithNoNumberAndItsFinalisationTime() {
    Finalisation.Decision d = Finalisation.decide(INVOICE, false, Optional.empty(), FINALIZES,
        FINALIZES.minusSeconds(1));
    assertThat(d.finalise()).isFalse();
    assertThat(d.action()).isEqualTo(Action.CREATED);
    ObjectNode doc = d.pending().doc();
    assertThat(doc.path("status").asText()).isEqualTo("draft");
    assertThat(doc.get("number").isNull()).isTrue();
    assertThat(doc.path("finalizesAt").asText()).isEqualTo("2024-05-04T00:00:00Z");
    assertThat(doc.has("kind")).isFalse();
    ObjectNode plain = InvoiceJson.toJson(INVOICE);
    plain.put("status", "draft");
    plain.putNull("number");
    plain.put("finalizesAt", FINALIZES.toString());
    assertThat(doc.toString()).isEqualTo(plain.toString());
  }

  @Test
  void aDraftAsStoredIsUnchangedAndAnotherIsUpdated() {
    ObjectNode doc = Finalisation.decide(INVOICE, false, Optional.empty(), FINALIZES, APRIL.atStartOfDay(
        ZoneId.of("UTC")).toInstant()).pending().doc();
    Finalisation.Decision same = Finalisation.decide(INVOICE, false, Optional.of(stored(doc)), FINALIZES,
        FINALIZES.minusSeconds(60));
    assertThat(same.unchanged()).isTrue();
    ObjectNode other = doc.deepCopy();
    other.put("finalizesAt", "2024-05-05T00:00:00Z");
    assertThat(Finalisation.decide(INVOICE, false, Optional.of(stored(other)), FINALIZES,
        FINALIZES.minusSeconds(60)).action()).isEqualTo(Action.UPDATED);
  }

  @Test
  void fromItsTimeFinalEvenWhenTheDraftIsAsStored() {
    ObjectNode doc = Finalisation.decide(INVOICE, false, Optional.empty(), FINALIZES, FINALIZES.minusSeconds(1))
        .pending().doc();
    Finalisation.Decision d = Finalisation.decide(INVOICE, false, Optional.of(stored(doc)), FINALIZES, FINALIZES);
    assertThat(d.finalise()).isTrue();
    assertThat(d.action()).isEqualTo(Action.FINALIZED);
    assertThat(d.pending().doc().path("status").asText()).isEqualTo("final");
    // Number, finalisation time and hash are the writer's, in the run's transaction.
    assertThat(d.pending().doc().has("number")).isFalse();
    assertThat(d.pending().doc().has("finalizesAt")).isFalse();
  }

  @Test
  void anAdjustmentInvoiceSaysSoBeforeItsStatus() {
    ObjectNode doc = Finalisation.decide(INVOICE, true, Optional.empty(), FINALIZES, FINALIZES).pending().doc();
    List<String> fields = new java.util.ArrayList<>();
    doc.fieldNames().forEachRemaining(fields::add);
    assertThat(fields.subList(fields.size() - 2, fields.size())).containsExactly("kind", "status");
    assertThat(doc.path("kind").asText()).isEqualTo("adjustment");
  }

  static StoredInvoice stored(ObjectNode doc) {
    return new StoredInvoice(INVOICE.id(), "sub", "c", "p@1", APRIL, APRIL.plusMonths(1), APRIL, APRIL.plusMonths(1),
        StoredInvoice.Status.DRAFT, Optional.empty(), "USD", BigDecimal.ZERO, BigDecimal.ZERO, 0, doc,
        Optional.empty());
  }
}
