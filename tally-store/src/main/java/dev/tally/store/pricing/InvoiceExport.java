package dev.tally.store.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.TallyException;
import dev.tally.core.format.Csv;
import dev.tally.core.json.Json;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Invoices written out: the JSON documents, one CSV row per line, and FOCUS 1.0 cost rows so that a customer can load
 * Tally's bill into a FinOps tool (and Tally's own cost analytics can read it).
 *
 * <p>FOCUS mapping, one row per invoice line: usage lines are {@code Usage}, fixed fees {@code Purchase}, tax
 * {@code Tax}, discounts, coupons and prepaid credit {@code Credit}, true-ups and late-usage adjustments
 * {@code Adjustment}. BilledCost is the line's amount, so the BilledCost of an invoice's rows adds up to its total.
 * ListCost is the line's amount before discounts (discounts are separate rows), ContractedCost and EffectiveCost equal
 * BilledCost. ListUnitPrice is given when the line has one unit price (a single rating step). Void invoices have no
 * rows; credit notes have one negative {@code Credit} row per line, their InvoiceId the credit note's number.
 */
public final class InvoiceExport {
  /** The FOCUS columns written, in order. */
  public static final List<String> FOCUS_COLUMNS = List.of("BilledCost", "EffectiveCost", "ListCost",
      "ContractedCost", "ChargeCategory", "ChargeDescription", "ChargePeriodStart", "ChargePeriodEnd",
      "BillingPeriodStart", "BillingPeriodEnd", "BillingCurrency", "ServiceName", "ServiceCategory",
      "ConsumedQuantity", "ConsumedUnit", "PricingQuantity", "PricingUnit", "ListUnitPrice", "SubAccountId",
      "SubAccountName", "ProviderName", "PublisherName", "InvoiceIssuerName", "ResourceId", "SkuId", "Tags",
      "InvoiceId");

  /** The CSV columns of {@link #csv}. */
  public static final List<String> CSV_COLUMNS = List.of("invoice", "id", "status", "customer", "subscription",
      "plan", "periodStart", "periodEnd", "line", "kind", "description", "charge", "quantity", "unit", "amount",
      "currency", "contentHash");

  private InvoiceExport() {}

  /** The invoices' documents as a JSON array. */
  public static String json(List<StoredInvoice> invoices) {
    ArrayNode a = Json.json().createArrayNode();
    invoices.forEach(i -> a.add(i.doc()));
    try {
      return Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(a) + "\n";
    } catch (JsonProcessingException e) {
      throw new TallyException(ErrorCode.INTERNAL, "cannot write invoices: " + e.getMessage(), e);
    }
  }

  /** One CSV row per invoice line. */
  public static String csv(List<StoredInvoice> invoices) {
    StringBuilder sb = new StringBuilder(Csv.line(CSV_COLUMNS));
    for (StoredInvoice inv : invoices) {
      for (JsonNode l : inv.doc().path("lines")) {
        sb.append(Csv.line(List.of(inv.number().orElse(""), inv.id(), inv.status().label(), inv.customer(),
            inv.subscription(), inv.plan(), inv.activeStart().toString(), inv.activeEnd().toString(),
            l.path("number").asText(), l.path("kind").asText(), l.path("description").asText(),
            text(l.path("charge")), l.path("quantity").asText(), l.path("unit").asText(), l.path("amount").asText(),
            inv.currency(), inv.contentHash().orElse(""))));
      }
    }
    return sb.toString();
  }

  /** FOCUS rows as CSV, without credit notes. */
  public static String focus(List<StoredInvoice> invoices, Map<String, String> customerNames) {
    return focus(invoices, List.of(), customerNames);
  }

  /**
   * FOCUS rows as CSV: one per line of each invoice that is not void (a void invoice bills nothing), then one
   * {@code Credit} row per line of each credit note, negative, with the credit note's number as InvoiceId.
   */
  public static String focus(List<StoredInvoice> invoices, List<InvoiceCorrections.CreditNote> creditNotes,
      Map<String, String> customerNames) {
    StringBuilder sb = new StringBuilder(Csv.line(FOCUS_COLUMNS));
    Map<String, StoredInvoice> byId = new java.util.HashMap<>();
    for (StoredInvoice inv : invoices) {
      byId.put(inv.id(), inv);
      if (inv.status() == StoredInvoice.Status.VOID) {
        continue;
      }
      JsonNode period = inv.doc().path("period");
      for (JsonNode l : inv.doc().path("lines")) {
        sb.append(Csv.line(focusRow(inv, period, l, customerNames.getOrDefault(inv.customer(), inv.customer()))));
      }
    }
    for (InvoiceCorrections.CreditNote n : creditNotes) {
      StoredInvoice inv = byId.get(n.invoice());
      if (inv == null) {
        continue;
      }
      JsonNode period = inv.doc().path("period");
      for (JsonNode l : n.doc().path("lines")) {
        String amount = l.path("amount").decimalValue().negate().toPlainString();
        List<String> row = new ArrayList<>(List.of(amount, amount, amount, amount, "Credit",
            "Credit note " + n.number() + " for invoice " + inv.reference() + " (" + n.doc().path("reason").asText()
                + "): " + l.path("description").asText(),
            period.path("from").asText(), period.path("to").asText(), period.path("from").asText(),
            period.path("to").asText(), inv.currency(), inv.plan(), "Other", "", "", "", "", "", inv.customer(),
            customerNames.getOrDefault(inv.customer(), inv.customer()), "Tally", "Tally", "Tally",
            inv.subscription(), inv.plan() + "/credit_note/" + l.path("kind").asText(), "", n.number()));
        sb.append(Csv.line(row));
      }
    }
    return sb.toString();
  }

  private static List<String> focusRow(StoredInvoice inv, JsonNode period, JsonNode l, String customerName) {
    String kind = l.path("kind").asText();
    String category = switch (kind) {
      case "usage" -> "Usage";
      case "fixed_fee" -> "Purchase";
      case "tax" -> "Tax";
      case "discount", "coupon", "credit" -> "Credit";
      default -> "Adjustment";
    };
    boolean usage = kind.equals("usage");
    String amount = l.path("amount").asText();
    List<String> row = new ArrayList<>();
    row.add(amount);
    row.add(amount);
    row.add(amount);
    row.add(amount);
    row.add(category);
    row.add(l.path("description").asText());
    row.add(period.path("from").asText());
    row.add(period.path("to").asText());
    row.add(period.path("from").asText());
    row.add(period.path("to").asText());
    row.add(inv.currency());
    row.add(l.path("charge").isTextual() ? l.path("charge").asText() : inv.plan());
    row.add("Other");
    row.add(usage ? l.path("quantity").asText() : "");
    row.add(usage ? l.path("unit").asText() : "");
    row.add(usage ? l.path("quantity").asText() : "");
    row.add(usage ? l.path("unit").asText() : "");
    row.add(usage ? unitPrice(l) : "");
    row.add(inv.customer());
    row.add(customerName);
    row.add("Tally");
    row.add("Tally");
    row.add("Tally");
    row.add(inv.subscription());
    row.add(l.path("charge").isTextual() ? inv.plan() + "/" + l.path("charge").asText() : inv.plan() + "/" + kind);
    row.add(l.path("groups").isEmpty() ? "" : l.path("groups").toString());
    row.add(inv.reference());
    return row;
  }

  private static String unitPrice(JsonNode l) {
    JsonNode steps = l.path("explanation").path("steps");
    if (steps.size() == 1 && new BigDecimal(steps.get(0).path("flat").asText()).signum() == 0) {
      return steps.get(0).path("unitPrice").asText();
    }
    BigDecimal q = new BigDecimal(l.path("quantity").asText());
    // Tiered lines have no single list price; the average is what each unit cost.
    return q.signum() == 0 ? "" : new BigDecimal(l.path("exact").asText()).divide(q, MathContext.DECIMAL64)
        .stripTrailingZeros().toPlainString();
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? n.asText() : "";
  }
}
