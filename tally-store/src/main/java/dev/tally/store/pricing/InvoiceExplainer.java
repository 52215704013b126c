package dev.tally.store.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.store.StoredMeter;
import dev.tally.store.TallyStore;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Explains invoice lines: the rule, the meter query behind a quantity (with OpenMeter's parameter names, so it can be
 * re-run through {@code tally query} or the API), the tiers applied and the arithmetic; and lists the events behind a
 * usage line's quantity.
 *
 * <p>For time-weighted meters, the events listed are the samples inside the period; the quantity also counts the
 * value of the last sample before the period, which holds into it.
 */
public final class InvoiceExplainer {
  /** Most events one listing returns. */
  public static final int MAX_EVENTS = 100_000;

  private final TallyStore store;
  private final InvoiceStore invoices;

  InvoiceExplainer(TallyStore store, InvoiceStore invoices) {
    this.store = store;
    this.invoices = invoices;
  }

  /**
   * One event behind a quantity.
   *
   * @param source the event's source
   * @param id the event's id
   * @param subject the event's subject
   * @param time the event's time
   * @param value the value the meter took from it (empty for COUNT meters)
   * @param data the event's data, as JSON text
   */
  public record EventRow(String source, String id, String subject, Instant time, Optional<BigDecimal> value,
      String data) {}

  /** The explanation of an invoice, or of one of its lines. */
  public ObjectNode explain(String tenant, String ref, OptionalInt line) {
    StoredInvoice inv = invoices.require(tenant, ref);
    ObjectNode out = Json.json().createObjectNode();
    out.put("invoice", inv.reference());
    out.put("id", inv.id());
    out.put("status", inv.status().label());
    out.put("customer", inv.customer());
    out.put("plan", inv.plan());
    out.put("currency", inv.currency());
    out.set("period", inv.doc().get("period"));
    ArrayNode lines = out.putArray("lines");
    for (JsonNode l : selected(inv, line)) {
      ObjectNode o = ((ObjectNode) l).deepCopy();
      JsonNode src = l.path("explanation").path("source");
      if (src.isObject()) {
        ObjectNode q = ((ObjectNode) o.get("explanation")).putObject("query");
        q.put("meterSlug", src.path("meter").asText());
        q.put("from", src.path("from").asText());
        q.put("to", src.path("to").asText());
        q.set("subject", src.path("subjects"));
        q.set("filterGroupBy", src.path("filters"));
        ArrayNode groupBy = q.putArray("groupBy");
        groupBy.add("subject");
      }
      lines.add(o);
    }
    out.set("totals", inv.doc().get("totals"));
    // Corrections made since it was issued: the void mark, and each credit note with its lines and reason.
    out.set("void", inv.doc().has("void") ? inv.doc().get("void") : null);
    ArrayNode notes = out.putArray("creditNotes");
    BigDecimal credited = dev.tally.core.pricing.Money.zero(inv.currency());
    for (InvoiceCorrections.CreditNote n : new InvoiceCorrections(store).list(tenant, Optional.of(inv.id()))) {
      notes.add(n.doc());
      credited = credited.add(n.total());
    }
    out.put("credited", credited);
    out.put("netAfterCreditNotes", inv.totalBeforeCredits().subtract(credited));
    return out;
  }

  /** The events behind a usage line's quantity, in time order, at most {@code limit}. */
  public List<EventRow> events(String tenant, String ref, int line, int limit) {
    StoredInvoice inv = invoices.require(tenant, ref);
    JsonNode l = selected(inv, OptionalInt.of(line)).get(0);
    JsonNode src = l.path("explanation").path("source");
    if (!src.isObject()) {
      throw TallyException.invalid(Problem.of("line", "line " + line + " of invoice " + inv.reference() + " ("
          + l.path("kind").asText() + ") prices no metered quantity, so no events are behind it",
          Integer.toString(line)));
    }
    if (limit < 1 || limit > MAX_EVENTS) {
      throw TallyException.invalid(Problem.of("limit", "must be between 1 and " + MAX_EVENTS,
          Integer.toString(limit)));
    }
    StoredMeter sm = store.meters().require(tenant, src.path("meter").asText());
    List<String> subjects = new ArrayList<>();
    src.path("subjects").forEach(s -> subjects.add(s.asText()));
    if (subjects.isEmpty()) {
      return List.of();
    }
    Map<String, String> filters = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : src.path("filters").properties()) {
      filters.put(e.getKey(), e.getValue().asText());
    }
    StringBuilder sql = new StringBuilder("SELECT e.source, e.id, e.subject, e.ts, m.value, e.data FROM ")
        .append(sm.table()).append(" m JOIN events e ON e.tenant = ? AND e.seq = m.seq WHERE m.ts >= ? AND m.ts < ?")
        .append(" AND m.subject IN (").append("?, ".repeat(subjects.size() - 1)).append("?)");
    filters.keySet().forEach(k -> sql.append(" AND m.").append(sm.groupColumn(k)).append(" = ?"));
    sql.append(" ORDER BY m.ts, m.seq LIMIT ?");
    return store.read(c -> {
      List<EventRow> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int i = 1;
        ps.setString(i++, tenant);
        ps.setObject(i++, OffsetDateTime.ofInstant(Instant.parse(src.path("from").asText()), ZoneOffset.UTC));
        ps.setObject(i++, OffsetDateTime.ofInstant(Instant.parse(src.path("to").asText()), ZoneOffset.UTC));
        for (String s : subjects) {
          ps.setString(i++, s);
        }
        for (String v : filters.values()) {
          ps.setString(i++, v);
        }
        ps.setInt(i, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new EventRow(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getObject(4, OffsetDateTime.class).toInstant(), Optional.ofNullable(rs.getBigDecimal(5)),
                compact(rs.getString(6))));
          }
        }
      }
      return out;
    });
  }

  private static List<JsonNode> selected(StoredInvoice inv, OptionalInt line) {
    JsonNode lines = inv.doc().path("lines");
    List<JsonNode> out = new ArrayList<>();
    if (line.isEmpty()) {
      lines.forEach(out::add);
      return out;
    }
    int n = line.getAsInt();
    if (n < 1 || n > lines.size()) {
      throw TallyException.invalid(Problem.of("line", "invoice " + inv.reference() + " has lines 1 to "
          + lines.size(), Integer.toString(n)));
    }
    out.add(lines.get(n - 1));
    return out;
  }

  private static String compact(String json) {
    try {
      return Json.json().writeValueAsString(Json.json().readTree(json));
    } catch (JsonProcessingException e) {
      throw new TallyException(ErrorCode.INTERNAL, "stored event data is unreadable: " + e.getMessage(), e);
    }
  }
}
