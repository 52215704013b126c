package dev.tally.core.pricing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.format.Decimals;
import dev.tally.core.json.Json;
import java.util.Locale;

/**
 * An invoice as a JSON document: what the store keeps, the API returns and exports write. Amounts are decimal
 * numbers at the currency's scale; quantities and exact amounts are plain decimals without trailing zeros.
 */
public final class InvoiceJson {
  private InvoiceJson() {}

  /** The invoice's document, without the store's fields (status, number, hash). */
  public static ObjectNode toJson(Invoice inv) {
    ObjectNode n = Json.json().createObjectNode();
    n.put("id", inv.id());
    n.put("customer", inv.customer());
    n.put("subscription", inv.subscription());
    n.put("plan", inv.plan());
    n.put("currency", inv.currency());
    BillingPeriod p = inv.period();
    ObjectNode period = n.putObject("period");
    period.put("start", p.start().toString());
    period.put("end", p.end().toString());
    period.put("activeStart", p.activeStart().toString());
    period.put("activeEnd", p.activeEnd().toString());
    period.put("timeZone", p.zone().getId());
    period.put("from", p.from().toString());
    period.put("to", p.to().toString());
    ArrayNode lines = n.putArray("lines");
    inv.lines().forEach(l -> lines.add(line(l)));
    ObjectNode totals = n.putObject("totals");
    totals.put("subtotal", inv.subtotal());
    totals.put("discounts", inv.discounts());
    totals.put("tax", inv.tax());
    totals.put("totalBeforeCredits", inv.totalBeforeCredits());
    totals.put("credits", inv.credits());
    totals.put("total", inv.total());
    return n;
  }

  private static ObjectNode line(InvoiceLine l) {
    ObjectNode n = Json.json().createObjectNode();
    n.put("number", l.number());
    n.put("kind", l.kind().name().toLowerCase(Locale.ROOT));
    n.put("step", l.kind().step().name().toLowerCase(Locale.ROOT));
    n.put("description", l.description());
    l.charge().ifPresentOrElse(c -> n.put("charge", c), () -> n.putNull("charge"));
    ObjectNode groups = n.putObject("groups");
    l.groups().forEach(groups::put);
    n.put("quantity", Decimals.normalise(l.quantity()));
    n.put("unit", l.unit());
    n.put("exact", Decimals.normalise(l.exact()));
    n.put("amount", l.amount());
    l.reference().ifPresentOrElse(r -> n.put("reference", r), () -> n.putNull("reference"));
    LineExplanation e = l.explanation();
    ObjectNode ex = n.putObject("explanation");
    ex.put("rule", e.rule());
    e.source().ifPresentOrElse(s -> {
      ObjectNode src = ex.putObject("source");
      src.put("meter", s.meter());
      src.put("from", s.from().toString());
      src.put("to", s.to().toString());
      ArrayNode subjects = src.putArray("subjects");
      s.subjects().forEach(subjects::add);
      ObjectNode filters = src.putObject("filters");
      s.filters().forEach(filters::put);
      src.put("quantity", Decimals.normalise(s.quantity()));
    }, () -> ex.putNull("source"));
    ArrayNode steps = ex.putArray("steps");
    for (RatingStep st : e.steps()) {
      ObjectNode o = steps.addObject();
      o.put("label", st.label());
      o.put("quantity", Decimals.normalise(st.quantity()));
      o.put("unitPrice", Decimals.normalise(st.unitPrice()));
      o.put("flat", Decimals.normalise(st.flat()));
      o.put("amount", Decimals.normalise(st.amount()));
      o.put("arithmetic", st.arithmetic());
    }
    ex.put("arithmetic", e.arithmetic());
    return n;
  }
}
