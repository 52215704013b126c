package dev.tally.store.pricing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;

/**
 * An invoice as the store keeps it: the document plus the columns invoices are found and compared by.
 *
 * @param id {@code <subscription>@<active start>}
 * @param subscription the subscription
 * @param customer the customer
 * @param plan {@code plan@version}
 * @param periodStart first day of the billing period
 * @param periodEnd day after the billing period
 * @param activeStart first day the subscription is active in it
 * @param activeEnd day after the last active day
 * @param status draft, final, or void (a final invoice cancelled; its document has a {@code void} field saying
 *     when and why, outside the content hash)
 * @param number the invoice number, once final
 * @param currency ISO 4217 code
 * @param totalBeforeCredits what the invoice amounts to before credits
 * @param total the amount due
 * @param eventsSeq the highest event sequence number the invoice saw
 * @param doc the invoice document (see {@link dev.tally.core.pricing.InvoiceJson}) with status, number and hash
 * @param contentHash SHA-256 of the final document
 */
public record StoredInvoice(String id, String subscription, String customer, String plan, LocalDate periodStart,
    LocalDate periodEnd, LocalDate activeStart, LocalDate activeEnd, Status status, Optional<String> number,
    String currency, BigDecimal totalBeforeCredits, BigDecimal total, long eventsSeq, ObjectNode doc,
    Optional<String> contentHash) {
  /** Draft invoices change on every run; final ones never; a void one is a final one cancelled, kept as sealed. */
  public enum Status {
    DRAFT,
    FINAL,
    VOID;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public StoredInvoice {
    requireNonNull(id, "id is null");
    requireNonNull(subscription, "subscription is null");
    requireNonNull(customer, "customer is null");
    requireNonNull(plan, "plan is null");
    requireNonNull(periodStart, "periodStart is null");
    requireNonNull(periodEnd, "periodEnd is null");
    requireNonNull(activeStart, "activeStart is null");
    requireNonNull(activeEnd, "activeEnd is null");
    requireNonNull(status, "status is null");
    requireNonNull(number, "number is null");
    requireNonNull(currency, "currency is null");
    requireNonNull(totalBeforeCredits, "totalBeforeCredits is null");
    requireNonNull(total, "total is null");
    requireNonNull(doc, "doc is null");
    requireNonNull(contentHash, "contentHash is null");
  }

  /**
   * Puts the invoice's terms in a JSON summary, as every listing of invoices has them: {@code plan},
   * {@code periodStart} and {@code periodEnd} (its active part), {@code totalBeforeCredits}, {@code total},
   * {@code currency} and {@code contentHash} (null until final).
   */
  public void putTerms(ObjectNode n) {
    n.put("plan", plan);
    n.put("periodStart", activeStart.toString());
    n.put("periodEnd", activeEnd.toString());
    n.put("totalBeforeCredits", totalBeforeCredits);
    n.put("total", total);
    n.put("currency", currency);
    contentHash.ifPresentOrElse(h -> n.put("contentHash", h), () -> n.putNull("contentHash"));
  }

  /** The number if final, else the id: how people refer to it. */
  public String reference() {
    return number.orElse(id);
  }
}
