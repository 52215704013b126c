package dev.tally.store.pricing;

import dev.tally.core.pricing.Catalog;
import dev.tally.core.pricing.CreditWallet;
import dev.tally.core.pricing.Customer;
import dev.tally.core.pricing.Invoice;
import dev.tally.core.pricing.InvoiceLine;
import dev.tally.core.pricing.LineKind;
import dev.tally.core.pricing.WalletBalance;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each credit wallet has paid on each invoice, loaded once per run and kept current as the run assembles
 * invoices, so that an invoice sees what the invoices before it in the run consumed, before anything is written.
 */
final class CreditLedger {
  /** Wallet id to invoice id to amount consumed. */
  private final Map<String, Map<String, BigDecimal>> consumed = new HashMap<>();

  private CreditLedger() {}

  static CreditLedger load(Connection c, String tenant) throws SQLException {
    CreditLedger l = new CreditLedger();
    // Credit used by a voided invoice is given back: the invoice is cancelled, so it paid nothing.
    try (PreparedStatement ps = c.prepareStatement("SELECT wallet, invoice, sum(amount) FROM pricing_credit_usage "
        + "WHERE tenant = ? AND invoice NOT IN (SELECT invoice FROM pricing_invoice_voids WHERE tenant = ?) "
        + "GROUP BY wallet, invoice")) {
      ps.setString(1, tenant);
      ps.setString(2, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          l.consumed.computeIfAbsent(rs.getString(1), w -> new HashMap<>()).put(rs.getString(2), rs.getBigDecimal(3));
        }
      }
    }
    return l;
  }

  /** The customer's wallets with what other invoices than {@code invoice} have left in them. */
  List<WalletBalance> balances(Catalog cat, Customer cu, String invoice) {
    List<WalletBalance> out = new ArrayList<>();
    for (CreditWallet w : cat.wallets()) {
      if (!w.customer().equals(cu.id())) {
        continue;
      }
      BigDecimal used = consumed.getOrDefault(w.id(), Map.of()).entrySet().stream()
          .filter(e -> !e.getKey().equals(invoice)).map(Map.Entry::getValue).reduce(BigDecimal.ZERO, BigDecimal::add);
      out.add(new WalletBalance(w, w.amount().subtract(used).max(BigDecimal.ZERO)));
    }
    return out;
  }

  /** Replaces what the invoice consumes with its credit lines. */
  void record(Invoice inv) {
    consumed.values().forEach(m -> m.remove(inv.id()));
    for (InvoiceLine l : inv.lines()) {
      if (l.kind() == LineKind.CREDIT) {
        consumed.computeIfAbsent(l.reference().orElseThrow(), w -> new HashMap<>())
            .merge(inv.id(), l.amount().negate(), BigDecimal::add);
      }
    }
  }
}
