package dev.tally.store.pricing;

import dev.tally.api.ErrorCode;
import dev.tally.api.TallyException;
import dev.tally.core.format.Decimals;
import dev.tally.core.pricing.Adjustment;
import dev.tally.core.pricing.BillingPeriod;
import dev.tally.core.pricing.Catalog;
import dev.tally.core.pricing.Customer;
import dev.tally.core.pricing.InvoiceAssembler;
import dev.tally.core.pricing.InvoiceLine;
import dev.tally.core.pricing.PlanVersion;
import dev.tally.core.pricing.Subscription;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The late-usage adjustments an invoice of a run carries: for each earlier final invoice of the same subscription that
 * events arrived for since it was made, one adjustment per usage line whose amount rated again with all events differs
 * from what was billed for it so far (on the invoice and in earlier final adjustments, written or made in this run).
 */
final class LateUsage {
  private final Connection c;
  private final String tenant;
  private final Catalog cat;
  private final InvoiceHistory history;
  private final UsageMeasurer measurer;

  /**
   * @param c the run's connection (it reads events and billed usage)
   * @param history the run's history of invoices, kept current as it assembles
   */
  LateUsage(Connection c, String tenant, Catalog cat, InvoiceHistory history, UsageMeasurer measurer) {
    this.c = c;
    this.tenant = tenant;
    this.cat = cat;
    this.history = history;
    this.measurer = measurer;
  }

  /** The adjustments the subscription's invoice for period {@code p} carries. */
  List<Adjustment> of(Customer cu, Subscription s, BillingPeriod p) throws SQLException {
    List<Adjustment> out = new ArrayList<>();
    for (InvoiceHistory.Final f : history.finalsBefore(s.id(), p.activeStart())) {
      BillingPeriod fp = f.period();
      // The difference goes on the first invoice after F that is not final yet: a later draft leaves it to that one,
      // so that two drafts never both carry it.
      if (cu.subjects().isEmpty() || history.draftBetween(s.id(), fp.activeStart(), p.activeStart())
          || !lateEvents(cu.subjects(), fp, f.eventsSeq())) {
        continue;
      }
      String[] ref = f.plan().split("@");
      PlanVersion fplan = cat.plan(ref[0], Integer.parseInt(ref[1])).orElseThrow(() -> new TallyException(
          ErrorCode.CONFLICT, "final invoice " + f.number() + " was rated with plan " + f.plan()
              + ", which the catalogue no longer has"));
      Map<String, BigDecimal[]> billed = billed(f.id());
      history.pendingBilled(f.id()).forEach((k, v) -> billed.merge(k, v,
          (x, y) -> new BigDecimal[] {x[0].add(y[0]), x[1].add(y[1])}));
      Map<String, InvoiceLine> now = new LinkedHashMap<>();
      InvoiceAssembler.usageLines(fplan, measurer.measure(tenant, cu, fplan, fp)).forEach(l -> now.put(l.usageKey(),
          l));
      Set<String> keys = new LinkedHashSet<>(now.keySet());
      keys.addAll(billed.keySet());
      for (String key : keys) {
        BigDecimal[] was = billed.getOrDefault(key, new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
        InvoiceLine line = now.get(key);
        BigDecimal amount = line == null ? BigDecimal.ZERO : line.amount();
        BigDecimal quantity = line == null ? BigDecimal.ZERO : line.quantity();
        BigDecimal delta = amount.subtract(was[1]);
        if (delta.signum() == 0) {
          continue;
        }
        String charge = line != null ? line.charge().orElse(key) : key;
        out.add(new Adjustment(f.id(), f.number(), charge, line == null ? Map.of() : line.groups(),
            line == null ? "" : line.unit(), quantity.subtract(was[0]), delta,
            "rated again with all events: " + Decimals.plain(quantity) + " → " + amount + "; billed so far "
                + Decimals.plain(was[0]) + " → " + Decimals.normalise(was[1]) + "; difference " + delta));
      }
    }
    return out;
  }

  /** Whether events of the subjects in the period arrived after event {@code seq}. */
  private boolean lateEvents(List<String> subjects, BillingPeriod p, long seq) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM events WHERE tenant = ? AND seq > ? AND ts >= ? "
        + "AND ts < ? AND subject IN (" + "?, ".repeat(subjects.size() - 1) + "?) LIMIT 1")) {
      int i = 1;
      ps.setString(i++, tenant);
      ps.setLong(i++, seq);
      ps.setObject(i++, OffsetDateTime.ofInstant(p.from(), ZoneOffset.UTC));
      ps.setObject(i++, OffsetDateTime.ofInstant(p.to(), ZoneOffset.UTC));
      for (String s : subjects) {
        ps.setString(i++, s);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Quantity and amount billed so far per usage line key of a period's invoice, counting final invoices only. */
  private Map<String, BigDecimal[]> billed(String target) throws SQLException {
    Map<String, BigDecimal[]> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT line_key, sum(quantity), sum(amount) FROM "
        + "pricing_billed_usage b WHERE tenant = ? AND target = ? AND invoice IN (SELECT id FROM pricing_invoices "
        + "WHERE tenant = ? AND status = 'final') GROUP BY line_key ORDER BY line_key")) {
      ps.setString(1, tenant);
      ps.setString(2, target);
      ps.setString(3, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new BigDecimal[] {rs.getBigDecimal(2), rs.getBigDecimal(3)});
        }
      }
    }
    return out;
  }
}
