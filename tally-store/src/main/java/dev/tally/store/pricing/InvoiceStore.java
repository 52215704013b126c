package dev.tally.store.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.pricing.Money;
import dev.tally.store.TallyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reading stored invoices, and the content hash that seals final ones. */
public final class InvoiceStore {
  static final String COLUMNS = "id, subscription, customer, plan, period_start, period_end, active_start, active_end, "
      + "status, number, currency, total_before_credits, total, events_seq, doc, content_hash, void_reason, voided_at";
  /** Invoices with their void mark, if any; the void table's columns are renamed so that none is ambiguous. */
  static final String FROM = " FROM pricing_invoices LEFT JOIN (SELECT tenant AS v_tenant, invoice AS v_invoice, "
      + "reason AS void_reason, voided_at FROM pricing_invoice_voids) ON v_tenant = tenant AND v_invoice = id";

  private final TallyStore store;

  InvoiceStore(TallyStore store) {
    this.store = store;
  }

  /**
   * The tenant's invoices, ordered by period then id.
   *
   * @param month only invoices whose active part starts in this month
   * @param customer only this customer's
   */
  public List<StoredInvoice> list(String tenant, Optional<YearMonth> month, Optional<String> customer) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + FROM + " WHERE tenant = ?");
    month.ifPresent(m -> sql.append(" AND active_start >= ? AND active_start < ?"));
    customer.ifPresent(c -> sql.append(" AND customer = ?"));
    sql.append(" ORDER BY active_start, id");
    return store.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int i = 1;
        ps.setString(i++, tenant);
        if (month.isPresent()) {
          ps.setObject(i++, month.get().atDay(1));
          ps.setObject(i++, month.get().plusMonths(1).atDay(1));
        }
        if (customer.isPresent()) {
          ps.setString(i, customer.get());
        }
        return read(ps);
      }
    });
  }

  /** An invoice by id ({@code sub@2024-04-01}) or number ({@code INV-000001}). */
  public Optional<StoredInvoice> find(String tenant, String ref) {
    return store.read(c -> find(c, tenant, ref));
  }

  /** An invoice by id or number, or a NOT_FOUND error naming it. */
  public StoredInvoice require(String tenant, String ref) {
    return find(tenant, ref).orElseThrow(() -> new TallyException(ErrorCode.NOT_FOUND, "no invoice '" + ref
        + "' in tenant '" + tenant + "' (give an invoice number such as INV-000001 or an id such as sub-1@2024-04-01;"
        + " 'tally invoice list' shows them)"));
  }

  static Optional<StoredInvoice> find(Connection c, String tenant, String ref) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM
        + " WHERE tenant = ? AND (id = ? OR number = ?)")) {
      ps.setString(1, tenant);
      ps.setString(2, ref);
      ps.setString(3, ref);
      return read(ps).stream().findFirst();
    }
  }

  /** The invoices whose active part starts in the month: those a run of that month produces. */
  static List<StoredInvoice> inMonth(Connection c, String tenant, YearMonth month) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM + " WHERE tenant = ? "
        + "AND active_start >= ? AND active_start < ? ORDER BY active_start, id")) {
      ps.setString(1, tenant);
      ps.setObject(2, month.atDay(1));
      ps.setObject(3, month.plusMonths(1).atDay(1));
      return read(ps);
    }
  }

  /** The one number a query of a tenant's rows answers, its one parameter the tenant. */
  static long number(Connection c, String sql, String tenant) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static List<StoredInvoice> read(PreparedStatement ps) throws SQLException {
    List<StoredInvoice> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ObjectNode doc;
        try {
          doc = (ObjectNode) Json.json().readTree(rs.getString(15));
        } catch (JsonProcessingException e) {
          throw new TallyException(ErrorCode.INTERNAL, "stored invoice " + rs.getString(1) + " is unreadable", e);
        }
        StoredInvoice.Status status = StoredInvoice.Status.valueOf(rs.getString(9).toUpperCase(Locale.ROOT));
        if (rs.getString(17) != null) {
          // Outside the sealed fields: the hash is of the document without contentHash and void.
          status = StoredInvoice.Status.VOID;
          ObjectNode v = doc.putObject("void");
          v.put("reason", rs.getString(17));
          v.put("voidedAt", rs.getObject(18, java.time.OffsetDateTime.class).toInstant().toString());
        }
        out.add(new StoredInvoice(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getObject(5, LocalDate.class), rs.getObject(6, LocalDate.class), rs.getObject(7, LocalDate.class),
            rs.getObject(8, LocalDate.class), status,
            Optional.ofNullable(rs.getString(10)), rs.getString(11), money(rs.getBigDecimal(12), rs.getString(11)),
            money(rs.getBigDecimal(13), rs.getString(11)),
            rs.getLong(14), doc, Optional.ofNullable(rs.getString(16))));
      }
    }
    return out;
  }

  /** A stored amount at its currency's scale (the column keeps 9 decimals for every currency). */
  private static java.math.BigDecimal money(java.math.BigDecimal v, String currency) {
    return v.setScale(Money.minorUnits(currency), java.math.RoundingMode.UNNECESSARY);
  }

  /**
   * The SHA-256 of a final invoice's document without its {@code contentHash} and {@code void} fields, in hex:
   * anyone holding the exported JSON can recompute it to check the invoice was not altered (voiding one adds the
   * {@code void} mark and changes nothing sealed).
   */
  public static String contentHash(ObjectNode doc) {
    ObjectNode copy = doc.deepCopy();
    copy.remove("contentHash");
    copy.remove("void");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(Json.json().writeValueAsString(copy).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new TallyException(ErrorCode.INTERNAL, "cannot hash invoice: " + e.getMessage(), e);
    }
  }
}
