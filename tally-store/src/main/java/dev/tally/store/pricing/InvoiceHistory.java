package dev.tally.store.pricing;

import dev.tally.core.pricing.BillingPeriod;
import dev.tally.core.pricing.Invoice;
import dev.tally.core.pricing.InvoiceLine;
import dev.tally.core.pricing.LineKind;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The earlier invoices a run needs for late-usage adjustments, loaded once per run (two queries, whatever the number
 * of subscriptions) and kept current as the run assembles invoices that are written together at its end.
 */
final class InvoiceHistory {
  /**
   * A final invoice, without its document.
   *
   * @param id the invoice id
   * @param number its number
   * @param plan {@code plan@version} it was rated with
   * @param period its billing period
   * @param eventsSeq the highest event seq it saw
   */
  record Final(String id, String number, String plan, BillingPeriod period, long eventsSeq) {}

  private final Map<String, List<Final>> finals = new HashMap<>();
  private final Map<String, List<LocalDate>> drafts = new HashMap<>();
  /** Adjustments on invoices finalised in this run, not written yet: target invoice to line key to amounts. */
  private final Map<String, Map<String, BigDecimal[]>> pendingBilled = new HashMap<>();

  private InvoiceHistory() {}

  static InvoiceHistory load(Connection c, String tenant) throws SQLException {
    InvoiceHistory h = new InvoiceHistory();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, subscription, status, number, plan, period_start, "
        + "period_end, active_start, active_end, events_seq, json_extract_string(doc, '$.period.timeZone') "
        + "FROM pricing_invoices WHERE tenant = ? AND id NOT IN (SELECT invoice FROM pricing_invoice_voids WHERE "
        + "tenant = ?) ORDER BY active_start")) {
      // A voided invoice's period is closed: late usage for it is not billed again, and it carries nothing.
      ps.setString(1, tenant);
      ps.setString(2, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String sub = rs.getString(2);
          LocalDate activeStart = rs.getObject(8, LocalDate.class);
          if (rs.getString(3).equals("draft")) {
            h.drafts.computeIfAbsent(sub, s -> new ArrayList<>()).add(activeStart);
            continue;
          }
          String zone = rs.getString(11);
          BillingPeriod p = new BillingPeriod(rs.getObject(6, LocalDate.class), rs.getObject(7, LocalDate.class),
              activeStart, rs.getObject(9, LocalDate.class), ZoneId.of(zone == null ? "UTC" : zone));
          h.finals.computeIfAbsent(sub, s -> new ArrayList<>()).add(new Final(rs.getString(1), rs.getString(4),
              rs.getString(5), p, rs.getLong(10)));
        }
      }
    }
    return h;
  }

  /** The subscription's final invoices whose period starts before {@code before}, in order. */
  List<Final> finalsBefore(String subscription, LocalDate before) {
    return finals.getOrDefault(subscription, List.of()).stream()
        .filter(f -> f.period().activeStart().isBefore(before)).toList();
  }

  /** Whether the subscription has a draft invoice starting strictly between the two days. */
  boolean draftBetween(String subscription, LocalDate after, LocalDate before) {
    return drafts.getOrDefault(subscription, List.of()).stream().anyMatch(d -> d.isAfter(after) && d.isBefore(before));
  }

  /** What the run's own finalised invoices bill for the lines of {@code target}, by line key. */
  Map<String, BigDecimal[]> pendingBilled(String target) {
    return pendingBilled.getOrDefault(target, Map.of());
  }

  /** Records an invoice the run will write, so that later invoices of the same run see it. */
  void record(Invoice inv, boolean finalised) {
    if (!finalised) {
      drafts.computeIfAbsent(inv.subscription(), s -> new ArrayList<>()).add(inv.period().activeStart());
      return;
    }
    for (InvoiceLine l : inv.lines()) {
      if (l.kind() == LineKind.ADJUSTMENT) {
        pendingBilled.computeIfAbsent(l.reference().orElseThrow(), t -> new HashMap<>())
            .merge(l.usageKey(), new BigDecimal[] {l.quantity(), l.amount()},
                (a, b) -> new BigDecimal[] {a[0].add(b[0]), a[1].add(b[1])});
      }
    }
  }
}
