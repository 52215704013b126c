package dev.tally.store.pricing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.pricing.Money;
import dev.tally.store.TallyStore;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Corrections of final invoices, which are never edited: voiding one (it stays, sealed and numbered, marked void) and
 * issuing credit notes against one (documents of their own, numbered {@code CN-000001}... without gaps).
 *
 * <p>A void cancels the whole invoice: it owes nothing, the credit its wallets paid is given back, and its period is
 * closed (late usage for it is not billed again). An invoice with credit notes cannot be voided (credit the rest
 * instead), and a void invoice cannot be credited.
 *
 * <p>A credit note credits some lines of the invoice or an amount, with a reason. For lines, each line (a fee, usage,
 * adjustment or true-up line, each at most once over all credit notes) is credited at its amount, less the invoice's
 * discounts in proportion ({@code lines × (subtotal + discounts) / subtotal}), plus the invoice's tax in proportion
 * ({@code net × tax / (subtotal + discounts)}), each rounded half-up once. An amount is taken as tax-inclusive and split
 * the same way ({@code tax = amount × tax / totalBeforeCredits}). No credit note takes the invoice's credited total
 * past what it amounted to before credits.
 */
public final class InvoiceCorrections {
  private static final Set<String> CREDITABLE = Set.of("fixed_fee", "usage", "adjustment", "commitment_true_up");

  private final TallyStore store;

  InvoiceCorrections(TallyStore store) {
    this.store = store;
  }

  /**
   * A credit note as stored.
   *
   * @param number {@code CN-000001}...
   * @param invoice the id of the invoice it credits
   * @param customer the customer
   * @param currency the invoice's currency
   * @param total the amount credited, positive
   * @param doc the document (lines, reason, issue time)
   */
  public record CreditNote(String number, String invoice, String customer, String currency, BigDecimal total,
      ObjectNode doc) {
    public CreditNote {
      requireNonNull(number, "number is null");
      requireNonNull(doc, "doc is null");
    }
  }

  /** Voids a final invoice; returns it as stored now (status void). */
  public StoredInvoice voidInvoice(String tenant, String ref, String reason) {
    TallyStore.checkTenant(tenant);
    String why = reason(reason);
    return store.write(w -> {
      StoredInvoice inv = InvoiceStore.find(w, tenant, ref).orElseThrow(() -> notFound(tenant, ref));
      if (inv.status() == StoredInvoice.Status.DRAFT) {
        throw new TallyException(ErrorCode.CONFLICT, "invoice " + inv.id() + " is a draft: only a final invoice can "
            + "be voided (a draft changes with every run; end the subscription or fix the catalogue instead)");
      }
      if (inv.status() == StoredInvoice.Status.VOID) {
        throw new TallyException(ErrorCode.CONFLICT, "invoice " + inv.reference() + " is already void");
      }
      List<CreditNote> notes = notes(w, tenant, Optional.of(inv.id()), Optional.empty());
      if (!notes.isEmpty()) {
        throw new TallyException(ErrorCode.CONFLICT, "invoice " + inv.reference() + " has credit notes ("
            + String.join(", ", notes.stream().map(CreditNote::number).toList()) + "); credit what is left instead "
            + "of voiding it");
      }
      store.transaction(c -> {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO pricing_invoice_voids VALUES (?, ?, ?, ?)")) {
          ps.setString(1, tenant);
          ps.setString(2, inv.id());
          ps.setString(3, why);
          ps.setObject(4, OffsetDateTime.ofInstant(store.clock().instant(), ZoneOffset.UTC));
          ps.executeUpdate();
        }
        return null;
      });
      return InvoiceStore.find(w, tenant, inv.id()).orElseThrow();
    });
  }

  /**
   * Issues a credit note against a final invoice: for some of its lines, or for an amount (tax-inclusive).
   *
   * @param lines the line numbers to credit (empty: use {@code amount})
   * @param amount the amount to credit, tax included (empty: use {@code lines})
   */
  public CreditNote credit(String tenant, String ref, List<Integer> lines, Optional<BigDecimal> amount,
      String reason) {
    TallyStore.checkTenant(tenant);
    String why = reason(reason);
    if (lines.isEmpty() == amount.isEmpty()) {
      throw TallyException.invalid(Problem.of(lines.isEmpty() ? "amount" : "lines", "give either lines or an "
          + "amount to credit, not " + (lines.isEmpty() ? "neither" : "both")));
    }
    return store.write(w -> {
      StoredInvoice inv = InvoiceStore.find(w, tenant, ref).orElseThrow(() -> notFound(tenant, ref));
      if (inv.status() != StoredInvoice.Status.FINAL) {
        throw new TallyException(ErrorCode.CONFLICT, "invoice " + inv.reference() + " is " + inv.status().label()
            + ": only a final invoice can be credited");
      }
      String cur = inv.currency();
      JsonNode totals = inv.doc().path("totals");
      BigDecimal subtotal = totals.path("subtotal").decimalValue();
      BigDecimal discounts = totals.path("discounts").decimalValue();
      BigDecimal tax = totals.path("tax").decimalValue();
      BigDecimal before = totals.path("totalBeforeCredits").decimalValue();
      List<CreditNote> earlier = notes(w, tenant, Optional.of(inv.id()), Optional.empty());
      BigDecimal credited = earlier.stream().map(CreditNote::total).reduce(Money.zero(cur), BigDecimal::add);
      ArrayNode out = Json.json().createArrayNode();
      if (!lines.isEmpty()) {
        Set<Integer> already = new HashSet<>();
        earlier.forEach(n -> n.doc().path("lines").forEach(l -> {
          if (l.path("invoiceLine").isNumber()) {
            already.add(l.path("invoiceLine").asInt());
          }
        }));
        JsonNode invLines = inv.doc().path("lines");
        List<Problem> problems = new ArrayList<>();
        BigDecimal sum = Money.zero(cur);
        for (int n : new LinkedHashSet<>(lines)) {
          if (n < 1 || n > invLines.size()) {
            problems.add(Problem.of("lines", "invoice " + inv.reference() + " has lines 1 to " + invLines.size(),
                Integer.toString(n)));
            continue;
          }
          JsonNode l = invLines.get(n - 1);
          String kind = l.path("kind").asText();
          if (!CREDITABLE.contains(kind)) {
            problems.add(Problem.of("lines", "line " + n + " is a " + kind + " line; credit fee, usage, adjustment "
                + "or true-up lines (their discounts and tax are credited with them)", Integer.toString(n)));
          } else if (already.contains(n)) {
            problems.add(Problem.of("lines", "line " + n + " was already credited", Integer.toString(n)));
          } else {
            BigDecimal a = l.path("amount").decimalValue();
            sum = sum.add(a);
            ObjectNode o = out.addObject();
            o.put("kind", "line");
            o.put("invoiceLine", n);
            o.put("description", l.path("description").asText());
            o.put("amount", a);
          }
        }
        if (!problems.isEmpty()) {
          throw TallyException.invalid(problems.size() + " problem(s) with the lines to credit; nothing was written",
              problems);
        }
        BigDecimal net = subtotal.signum() == 0 ? sum
            : Money.round(sum.multiply(subtotal.add(discounts)).divide(subtotal, MathContext.DECIMAL128), cur);
        if (net.compareTo(sum) != 0) {
          ObjectNode o = out.addObject();
          o.put("kind", "discount");
          o.putNull("invoiceLine");
          o.put("description", "Discounts of the invoice in proportion: " + sum + " × (" + subtotal + " + "
              + discounts + ") / " + subtotal + " = " + net);
          o.put("amount", net.subtract(sum));
        }
        taxLine(out, net, tax, subtotal.add(discounts), cur);
      } else {
        BigDecimal a = amount.get();
        if (a.signum() <= 0 || a.scale() > Money.minorUnits(cur)) {
          throw TallyException.invalid(Problem.of("amount", "must be positive with at most "
              + Money.minorUnits(cur) + " decimals (" + cur + ")", a.toPlainString()));
        }
        BigDecimal taxPart = before.signum() == 0 ? Money.zero(cur)
            : Money.round(a.multiply(tax).divide(before, MathContext.DECIMAL128), cur);
        ObjectNode o = out.addObject();
        o.put("kind", "amount");
        o.putNull("invoiceLine");
        o.put("description", "Amount credited before tax");
        o.put("amount", a.setScale(Money.minorUnits(cur)).subtract(taxPart));
        if (taxPart.signum() != 0) {
          ObjectNode t = out.addObject();
          t.put("kind", "tax");
          t.putNull("invoiceLine");
          t.put("description", "Tax in proportion: " + a + " × " + tax + " / " + before + " = " + taxPart);
          t.put("amount", taxPart);
        }
      }
      BigDecimal sumOfLines = Money.zero(cur);
      for (JsonNode l : out) {
        sumOfLines = sumOfLines.add(l.path("amount").decimalValue());
      }
      BigDecimal total = sumOfLines;
      if (credited.add(total).compareTo(before) > 0) {
        throw TallyException.invalid(Problem.of(lines.isEmpty() ? "amount" : "lines", "would credit " + total
            + " " + cur + " but invoice " + inv.reference() + " amounted to " + before + " and " + credited
            + " is already credited; at most " + before.subtract(credited) + " is left"));
      }
      Instant now = store.clock().instant();
      return store.transaction(c -> {
        String number = String.format(Locale.ROOT, "CN-%06d", lastNumber(c, tenant) + 1);
        ObjectNode doc = Json.json().createObjectNode();
        doc.put("number", number);
        doc.put("invoiceId", inv.id());
        inv.number().ifPresent(n -> doc.put("invoiceNumber", n));
        doc.put("customer", inv.customer());
        doc.put("subscription", inv.subscription());
        doc.put("plan", inv.plan());
        doc.put("currency", cur);
        doc.put("reason", why);
        doc.put("issuedAt", now.toString());
        doc.set("period", inv.doc().path("period"));
        doc.set("lines", out);
        doc.put("total", total);
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO pricing_credit_notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          ps.setString(1, tenant);
          ps.setString(2, number);
          ps.setString(3, inv.id());
          ps.setString(4, inv.customer());
          ps.setString(5, cur);
          ps.setString(6, why);
          ps.setBigDecimal(7, total.setScale(9));
          ps.setString(8, doc.toString());
          ps.setObject(9, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
          ps.executeUpdate();
        }
        return new CreditNote(number, inv.id(), inv.customer(), cur, total, doc);
      });
    });
  }

  /** Credit notes, by number: of one invoice (by id or number), or of invoices whose period starts in a month. */
  public List<CreditNote> list(String tenant, Optional<String> invoice) {
    return store.read(c -> {
      Optional<String> id = invoice.isEmpty() ? Optional.empty()
          : Optional.of(InvoiceStore.find(c, tenant, invoice.get()).orElseThrow(() -> notFound(tenant,
              invoice.get())).id());
      return notes(c, tenant, id, Optional.empty());
    });
  }

  /** A credit note by number, or NOT_FOUND. */
  public CreditNote require(String tenant, String number) {
    return store.read(c -> notes(c, tenant, Optional.empty(), Optional.of(number))).stream().findFirst()
        .orElseThrow(() -> new TallyException(ErrorCode.NOT_FOUND, "no credit note '" + number + "' in tenant '"
            + tenant + "'"));
  }

  /** The credit notes of the given invoices, by number. */
  List<CreditNote> of(List<StoredInvoice> invs, String tenant) {
    Set<String> ids = new HashSet<>();
    invs.forEach(i -> ids.add(i.id()));
    return store.read(c -> notes(c, tenant, Optional.empty(), Optional.empty())).stream()
        .filter(n -> ids.contains(n.invoice())).toList();
  }

  private static void taxLine(ArrayNode out, BigDecimal net, BigDecimal tax, BigDecimal base, String cur) {
    if (tax.signum() == 0 || base.signum() == 0) {
      return;
    }
    BigDecimal t = Money.round(net.multiply(tax).divide(base, MathContext.DECIMAL128), cur);
    ObjectNode o = out.addObject();
    o.put("kind", "tax");
    o.putNull("invoiceLine");
    o.put("description", "Tax of the invoice in proportion: " + net + " × " + tax + " / " + base + " = " + t);
    o.put("amount", t);
  }

  private static List<CreditNote> notes(Connection c, String tenant, Optional<String> invoice,
      Optional<String> number) throws SQLException {
    List<CreditNote> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT number, invoice, customer, currency, total, doc FROM "
        + "pricing_credit_notes WHERE tenant = ?" + (invoice.isPresent() ? " AND invoice = ?" : "")
        + (number.isPresent() ? " AND number = ?" : "") + " ORDER BY number")) {
      int i = 1;
      ps.setString(i++, tenant);
      if (invoice.isPresent()) {
        ps.setString(i++, invoice.get());
      }
      if (number.isPresent()) {
        ps.setString(i, number.get());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String cur = rs.getString(4);
          try {
            out.add(new CreditNote(rs.getString(1), rs.getString(2), rs.getString(3), cur,
                rs.getBigDecimal(5).setScale(Money.minorUnits(cur), java.math.RoundingMode.UNNECESSARY),
                (ObjectNode) Json.json().readTree(rs.getString(6))));
          } catch (JsonProcessingException e) {
            throw new TallyException(ErrorCode.INTERNAL, "credit note " + rs.getString(1) + " is unreadable", e);
          }
        }
      }
    }
    return out;
  }

  private static long lastNumber(Connection c, String tenant) throws SQLException {
    // Under the write lock and in the issuing transaction, and credit notes are never deleted: no gaps, no repeats.
    return InvoiceStore.number(c, "SELECT count(*) FROM pricing_credit_notes WHERE tenant = ?", tenant);
  }

  private static String reason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw TallyException.invalid(Problem.of("reason", "is required: say why (it is kept with the correction)"));
    }
    return reason.trim();
  }

  private static TallyException notFound(String tenant, String ref) {
    return new TallyException(ErrorCode.NOT_FOUND, "no invoice '" + ref + "' in tenant '" + tenant + "' (give an "
        + "invoice number such as INV-000001 or an id such as sub-1@2024-04-01; 'tally invoice list' shows them)");
  }
}
