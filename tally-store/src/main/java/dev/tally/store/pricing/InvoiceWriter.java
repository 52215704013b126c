package dev.tally.store.pricing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.pricing.Invoice;
import dev.tally.core.pricing.InvoiceLine;
import dev.tally.core.pricing.LineKind;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes the invoices of a run in one transaction, through DuckDB appenders (row-by-row inserts are orders of
 * magnitude slower): the drafts they replace are deleted, final ones are numbered in order from the tenant's last
 * number (in the same transaction, so numbers have no gaps) and sealed with their content hash.
 */
final class InvoiceWriter {
  private static final int MONEY_SCALE = 9;

  private InvoiceWriter() {}

  /**
   * An invoice to write.
   *
   * @param invoice the assembled invoice
   * @param doc its document, with status (and, for drafts, the finalisation time)
   * @param finalise whether it becomes final
   */
  record Pending(Invoice invoice, ObjectNode doc, boolean finalise) {
    Pending {
      requireNonNull(invoice, "invoice is null");
      requireNonNull(doc, "doc is null");
    }
  }

  /** Writes the pending invoices; must run inside a transaction. */
  static void write(DuckDBConnection c, String tenant, List<Pending> pending, long seq, Instant now)
      throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE OR REPLACE TEMP TABLE pricing_run_ids (id VARCHAR)");
    }
    try (DuckDBAppender app = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "pricing_run_ids")) {
      for (Pending p : pending) {
        app.beginRow().append(p.invoice().id()).endRow();
      }
    }
    for (String table : List.of("pricing_invoices", "pricing_billed_usage", "pricing_credit_usage")) {
      String column = table.equals("pricing_invoices") ? "id" : "invoice";
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE tenant = ? AND " + column
          + " IN (SELECT id FROM pricing_run_ids)" + (table.equals("pricing_invoices") ? " AND status = 'draft'"
          : ""))) {
        ps.setString(1, tenant);
        ps.executeUpdate();
      }
    }
    long last = lastNumber(c, tenant);
    long nowMicros = ChronoUnit.MICROS.between(Instant.EPOCH, now);
    try (DuckDBAppender inv = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "pricing_invoices");
        DuckDBAppender billed = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "pricing_billed_usage");
        DuckDBAppender credits = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "pricing_credit_usage")) {
      for (Pending p : pending) {
        Invoice i = p.invoice();
        ObjectNode doc = p.doc();
        String number = null;
        String hash = null;
        if (p.finalise()) {
          number = String.format(Locale.ROOT, "INV-%06d", ++last);
          doc.put("number", number);
          doc.put("finalizedAt", now.toString());
          hash = InvoiceStore.contentHash(doc);
          doc.put("contentHash", hash);
        }
        inv.beginRow()
            .append(tenant).append(i.id()).append(i.subscription()).append(i.customer()).append(i.plan())
            .append(i.period().start()).append(i.period().end())
            .append(i.period().activeStart()).append(i.period().activeEnd())
            .append(p.finalise() ? "final" : "draft");
        nullable(inv, number);
        inv.append(i.currency()).append(money(i.totalBeforeCredits())).append(money(i.total())).append(seq)
            .append(doc.toString());
        nullable(inv, hash);
        inv.appendEpochMicros(nowMicros);
        if (p.finalise()) {
          inv.appendEpochMicros(nowMicros);
        } else {
          inv.appendNull();
        }
        inv.endRow();
        for (InvoiceLine l : i.lines()) {
          if (l.kind() == LineKind.USAGE || l.kind() == LineKind.ADJUSTMENT) {
            billed.beginRow().append(tenant).append(i.id())
                .append(l.kind() == LineKind.USAGE ? i.id() : l.reference().orElseThrow())
                .append(l.usageKey()).append(money(l.quantity())).append(money(l.amount())).endRow();
          } else if (l.kind() == LineKind.CREDIT) {
            credits.beginRow().append(tenant).append(l.reference().orElseThrow()).append(i.id())
                .append(money(l.amount().negate())).endRow();
          }
        }
      }
    }
    try (PreparedStatement del = c.prepareStatement("DELETE FROM pricing_invoice_numbers WHERE tenant = ?");
        PreparedStatement ins = c.prepareStatement("INSERT INTO pricing_invoice_numbers VALUES (?, ?)")) {
      del.setString(1, tenant);
      del.executeUpdate();
      ins.setString(1, tenant);
      ins.setLong(2, last);
      ins.executeUpdate();
    }
  }

  private static long lastNumber(DuckDBConnection c, String tenant) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT last FROM pricing_invoice_numbers WHERE tenant = ?")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static void nullable(DuckDBAppender app, String value) throws SQLException {
    if (value == null) {
      app.appendNull();
    } else {
      app.append(value);
    }
  }

  /** Amounts and quantities are stored with 9 decimals, the meters' precision. */
  private static BigDecimal money(BigDecimal v) {
    return v.setScale(MONEY_SCALE, java.math.RoundingMode.UNNECESSARY);
  }
}
