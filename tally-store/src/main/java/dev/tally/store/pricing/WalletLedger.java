package dev.tally.store.pricing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.pricing.Catalog;
import dev.tally.core.pricing.CreditWallet;
import dev.tally.core.pricing.Customer;
import dev.tally.core.pricing.Money;
import dev.tally.store.TallyStore;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A credit wallet's balance and ledger: the grant, what each invoice used of it, and what expired unused.
 *
 * <p>Uses come from the invoices themselves (what each one's credit lines took from the wallet): a final invoice's use
 * is settled, a draft's is reserved (the draft may still change, and its reservation with it). On the day a wallet
 * expires, what neither settled nor reserved is lost. So that {@code granted = used + reserved + expired + available}
 * to the cent. A voided invoice's use is followed by a release of the same amount on the day it was voided.
 */
public final class WalletLedger {
  private final TallyStore store;
  private final CatalogStore catalog;

  WalletLedger(TallyStore store, CatalogStore catalog) {
    this.store = store;
    this.catalog = catalog;
  }

  /** What happened to a wallet's credit, in date order. */
  public enum Kind {
    GRANT,
    USE,
    RESERVE,
    /** Credit given back when the invoice that used it was voided. */
    RELEASE,
    EXPIRY
  }

  /**
   * One ledger entry.
   *
   * @param date the day it took effect (for uses, the invoice's issue day: the end of its active period)
   * @param kind grant, use (final invoice), reserve (draft invoice) or expiry
   * @param amount positive for the grant, negative otherwise
   * @param invoiceId the invoice's id, for uses and reservations
   * @param invoiceNumber its number once final
   * @param balance what is left after this entry
   */
  public record Entry(LocalDate date, Kind kind, BigDecimal amount, Optional<String> invoiceId,
      Optional<String> invoiceNumber, BigDecimal balance) {}

  /**
   * A wallet's balance on a day and the entries that led to it.
   *
   * @param wallet the wallet
   * @param currency its customer's currency
   * @param on the day the balance is for (the customer's today on the store's clock, unless given)
   * @param granted the amount granted
   * @param used settled by final invoices
   * @param reserved held by draft invoices
   * @param expired lost at expiry (zero before the expiry day)
   * @param available what later invoices can still use
   * @param entries the ledger
   */
  public record Ledger(CreditWallet wallet, String currency, LocalDate on, BigDecimal granted, BigDecimal used,
      BigDecimal reserved, BigDecimal expired, BigDecimal available, List<Entry> entries) {
    public Ledger {
      requireNonNull(wallet, "wallet is null");
      entries = List.copyOf(entries);
    }

    /** The balance and ledger as JSON (amounts at the currency's scale). */
    public ObjectNode toJson() {
      ObjectNode n = Json.json().createObjectNode();
      n.put("wallet", wallet.id());
      n.put("customer", wallet.customer());
      n.put("currency", currency);
      n.put("on", on.toString());
      ObjectNode b = n.putObject("balance");
      b.put("granted", granted);
      b.put("used", used);
      b.put("reserved", reserved);
      b.put("expired", expired);
      b.put("available", available);
      ArrayNode es = n.putArray("ledger");
      for (Entry e : entries) {
        ObjectNode o = es.addObject();
        o.put("date", e.date().toString());
        o.put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT));
        o.put("amount", e.amount());
        e.invoiceId().ifPresentOrElse(i -> o.put("invoiceId", i), () -> o.putNull("invoiceId"));
        e.invoiceNumber().ifPresentOrElse(i -> o.put("invoiceNumber", i), () -> o.putNull("invoiceNumber"));
        o.put("balance", e.balance());
      }
      return n;
    }
  }

  /** The wallet's ledger on the customer's today (store clock). */
  public Ledger ledger(String tenant, String walletId) {
    return ledger(tenant, walletId, Optional.empty());
  }

  /** The wallet's ledger on a given day (default: the customer's today on the store's clock). */
  public Ledger ledger(String tenant, String walletId, Optional<LocalDate> on) {
    Catalog cat = catalog.load(tenant);
    CreditWallet w = cat.wallets().stream().filter(x -> x.id().equals(walletId)).findFirst()
        .orElseThrow(() -> new TallyException(ErrorCode.NOT_FOUND, "no wallet '" + walletId + "' in tenant '"
            + tenant + "' ('tally catalog list wallets' shows them)"));
    Customer cu = cat.customer(w.customer()).orElseThrow();
    String currency = cu.currency();
    LocalDate day = on.orElseGet(() -> LocalDate.ofInstant(store.clock().instant(), cu.timeZone()));
    List<Entry> entries = new ArrayList<>();
    List<Entry> releases = new ArrayList<>();
    BigDecimal balance = Money.round(w.amount(), currency);
    BigDecimal granted = balance;
    entries.add(new Entry(w.grantedOn(), Kind.GRANT, granted, Optional.empty(), Optional.empty(), balance));
    BigDecimal used = Money.zero(currency);
    BigDecimal reserved = Money.zero(currency);
    List<Object[]> uses = store.read(c -> {
      List<Object[]> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT i.active_end, i.status, i.id, i.number, sum(u.amount), "
          + "any_value(v.voided_at) FROM pricing_credit_usage u JOIN pricing_invoices i ON i.tenant = u.tenant AND "
          + "i.id = u.invoice LEFT JOIN pricing_invoice_voids v ON v.tenant = i.tenant AND v.invoice = i.id "
          + "WHERE u.tenant = ? AND u.wallet = ? GROUP BY i.active_end, i.status, i.id, i.number "
          + "ORDER BY i.active_end, i.id")) {
        ps.setString(1, tenant);
        ps.setString(2, walletId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            java.time.OffsetDateTime voided = rs.getObject(6, java.time.OffsetDateTime.class);
            rows.add(new Object[] {rs.getObject(1, LocalDate.class), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getBigDecimal(5), voided == null ? null
                    : LocalDate.ofInstant(voided.toInstant(), cu.timeZone())});
          }
        }
      }
      return rows;
    });
    for (Object[] u : uses) {
      BigDecimal amount = Money.round((BigDecimal) u[4], currency);
      boolean fin = u[1].equals("final");
      if (fin) {
        used = used.add(amount);
      } else {
        reserved = reserved.add(amount);
      }
      balance = balance.subtract(amount);
      entries.add(new Entry((LocalDate) u[0], fin ? Kind.USE : Kind.RESERVE, amount.negate(),
          Optional.of((String) u[2]), Optional.ofNullable((String) u[3]), balance));
      if (u[5] != null) {
        used = used.subtract(amount);
        balance = balance.add(amount);
        releases.add(new Entry((LocalDate) u[5], Kind.RELEASE, amount, Optional.of((String) u[2]),
            Optional.ofNullable((String) u[3]), balance));
      }
    }
    // A release is dated on the void; entries stay in date order, the running balance recomputed in that order.
    if (!releases.isEmpty()) {
      entries.addAll(releases);
      entries.sort(java.util.Comparator.comparing(Entry::date));
      List<Entry> ordered = new ArrayList<>();
      BigDecimal running = Money.zero(currency);
      for (Entry e : entries) {
        running = running.add(e.amount());
        ordered.add(new Entry(e.date(), e.kind(), e.amount(), e.invoiceId(), e.invoiceNumber(), running));
      }
      entries = ordered;
    }
    BigDecimal expired = Money.zero(currency);
    if (w.expiresOn().isPresent() && !day.isBefore(w.expiresOn().get()) && balance.signum() > 0) {
      expired = balance;
      balance = Money.zero(currency);
      entries.add(new Entry(w.expiresOn().get(), Kind.EXPIRY, expired.negate(), Optional.empty(), Optional.empty(),
          balance));
    }
    return new Ledger(w, currency, day, granted, used, reserved, expired, balance, entries);
  }
}
